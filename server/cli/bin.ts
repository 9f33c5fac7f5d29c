import { main } from './main';

const flushed = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => s.write('', () => resolve()));

const code = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr });
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
