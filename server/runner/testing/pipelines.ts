import { sh } from '../../connectors/shell-quote';
import type { ClusterSpec, Host as SpecHost } from '../../contracts/cluster-spec';
import type { Pipeline, Step } from '../../engine';
import type { PipelineFactory } from '../registry';

type TStep = Step<ClusterSpec, SpecHost>;
const one = (name: string, steps: TStep[]): Pipeline<ClusterSpec, SpecHost> => ({ name, modules: [{ name: 'Test', tasks: [{ name: 'Remote', steps }] }] });

/** Per-cluster scratch dir on each host; tests name clusters uniquely. */
export const testDir = (clusterName: string) => `/tmp/kxms-runner-${clusterName}`;

const never = async () => false;

/** 'test:*' pipelines of real remote commands: the test harness and the test server entry (testing/test-server.ts) register them. */
export const TEST_PIPELINES: Record<string, PipelineFactory> = {
  /** 60 bursts of 20 numbered lines, one burst a second; after each burst "<burst> <epoch ms>" is appended to lines.log */
  'test:lines': (spec) =>
    one('test:lines', [
      {
        name: 'Print lines',
        check: never,
        run: async (ctx) => {
          const dir = testDir(spec.name);
          await ctx.run(
            sh`mkdir -p ${dir} && i=1; while [ $i -le 60 ]; do j=1; while [ $j -le 20 ]; do echo "kx-line $i.$j"; j=$((j+1)); done; echo "$i $(date +%s%3N)" >> ${`${dir}/lines.log`}; sleep 1; i=$((i+1)); done`,
          );
        },
      },
    ]),
  /** on each host: 12 bursts of 30 numbered lines, 0.4 s apart, with stderr lines between */
  'test:burst': () =>
    one('test:burst', [
      { name: 'Burst', check: never, run: async (ctx) => void (await ctx.run('i=1; while [ $i -le 12 ]; do seq -f "burst $i line %g" 30; echo "err $i" >&2; sleep 0.4; i=$((i+1)); done')) },
      { name: 'After', check: never, run: async (ctx) => void (await ctx.run('echo after')) },
    ]),
  /** a remote sleep 600 (for cancel) */
  'test:sleep': () => one('test:sleep', [{ name: 'Sleep', check: never, run: async (ctx) => void (await ctx.run('echo sleeping; sleep 600')) }]),
  /** a few lines, then holds its hosts for 2 s (for host locks) */
  'test:hold': () => one('test:hold', [{ name: 'Hold', check: never, run: async (ctx) => void (await ctx.run('echo start; sleep 2; echo end')) }]),
  /** three steps with real checks; the second fails (after 2 s, so other hosts finish first) unless <dir>/allow exists on the host */
  'test:steps': (spec) => {
    const dir = testDir(spec.name);
    const file = (f: string) => `${dir}/${f}`;
    const done = (f: string) => async (ctx: Parameters<TStep['check']>[0]) => (await ctx.exec(sh`test -f ${file(f)}`)).exitCode === 0;
    return one('test:steps', [
      { name: 'Write a', check: done('a'), run: async (ctx) => void (await ctx.run(sh`mkdir -p ${dir} && echo writing a && touch ${file('a')} && echo a >> ${file('ran')}`)) },
      {
        name: 'Write b if allowed',
        check: done('b'),
        run: async (ctx) => void (await ctx.run(sh`if [ -f ${file('allow')} ]; then touch ${file('b')}; echo b >> ${file('ran')}; else echo "b is not allowed yet" >&2; sleep 2; exit 3; fi`)),
      },
      { name: 'Write c', check: done('c'), run: async (ctx) => void (await ctx.run(sh`touch ${file('c')} && echo c >> ${file('ran')}`)) },
    ]);
  },
  /** a run to watch: harmless stderr from a step that succeeds, 3 tasks of 8 steps of 0.8 s (more rows than a screen), then a step that fails with stderr on the spec's first host only */
  'test:live': (spec) => ({
    name: 'test:live',
    modules: [
      {
        name: 'Live',
        tasks: [
          { name: 'Warm up', steps: [{ name: 'Warn on stderr', check: never, run: async (ctx) => void (await ctx.run('echo "Created symlink (harmless)" >&2; echo warmed up')) }] },
          ...[1, 2, 3].map((t) => ({
            name: `Batch ${t}`,
            steps: Array.from({ length: 8 }, (_, i): TStep => ({ name: `Work ${t}.${i + 1}`, check: never, run: async (ctx) => void (await ctx.run('sleep 0.8; echo worked')) })),
          })),
          {
            name: 'Finish',
            steps: [
              {
                name: 'Fail on the first host',
                check: never,
                run: async (ctx) => void (await ctx.run(ctx.host.name === spec.hosts[0]?.name ? 'echo "this host is broken on purpose" >&2; exit 3' : 'echo fine')),
              },
            ],
          },
        ],
      },
    ],
  }),
  /** prints a secret of the spec (to check redaction) */
  'test:leak': (spec) =>
    one('test:leak', [
      {
        name: 'Leak',
        check: never,
        run: async (ctx) => {
          const h = spec.hosts.find((x) => x.name === ctx.host.name);
          const secret = h?.sudoPassword ?? '';
          await ctx.run(sh`printf '%s\n' ${`the sudo password is ${secret}`}; printf '%s\n' ${secret} >&2; exit 4`, { label: 'leak' });
        },
      },
    ]),
  /** under sudo, prints the sudo password (uploaded over SFTP, never in argv) raw, shell-quoted (bash -x), base64 and split across writes, then exits 5 */
  'test:echo-sudo': (spec) =>
    one('test:echo-sudo', [
      {
        name: 'Echo the sudo password',
        check: never,
        run: async (ctx) => {
          const dir = testDir(spec.name);
          const file = `${dir}/pw`;
          await ctx.run(sh`mkdir -p -m 700 ${dir}`);
          await ctx.upload(Buffer.from(spec.hosts.find((x) => x.name === ctx.host.name)?.sudoPassword ?? ''), file, { mode: 0o600 });
          await ctx.sudo(
            sh`f=${file}; echo "sudo got: $(cat "$f")"; bash -xc ': "$(cat "$1")"' kx "$f"; base64 -w0 < "$f"; echo; head -c 3 "$f"; sleep 0.3; tail -c +4 "$f"; echo; cat "$f" >&2; rm -f "$f"; exit 5`,
          );
        },
      },
    ]),
};
