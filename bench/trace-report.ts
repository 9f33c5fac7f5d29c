import { readFile } from 'node:fs/promises';
import { longTaskReport } from './lib/page-trace';
import { parseFlags } from './lib/stats';

// A Chromium trace saved by `bench:live --trace-page[=file]`, read again: what the page's long tasks were made of.
const [file] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: npx tsx bench/trace-report.ts <trace.json> [--long-ms=50] [--top=20]');
const flags = parseFlags(process.argv.slice(2));
console.log(longTaskReport(JSON.parse(await readFile(file, 'utf8')), Number(flags.get('long-ms') ?? 50), Number(flags.get('top') ?? 20)).join('\n'));
