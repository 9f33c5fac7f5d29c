import Link from 'next/link';

export default function NotFound() {
  return (
    <section aria-labelledby="nf-title" className="mx-auto flex max-w-xl flex-col gap-3 py-16 text-center">
      <h1 id="nf-title" className="text-2xl font-semibold">Page not found</h1>
      <p className="text-zinc-600 dark:text-zinc-400">There is no page at this address. It may have been a cluster or run that was deleted, or a mistyped link.</p>
      <p className="flex justify-center gap-4">
        <Link href="/" className="text-brand underline underline-offset-2">Overview</Link>
        <Link href="/runs" className="text-brand underline underline-offset-2">Run history</Link>
        <Link href="/clusters/new" className="text-brand underline underline-offset-2">New cluster</Link>
      </p>
    </section>
  );
}
