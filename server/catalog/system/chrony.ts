import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { fileMatches } from '../common/files';
import { artifactFor } from '../common/host-artifacts';
import type { KxContext, KxStep } from '../common/types';
import { CHRONY_CONF, renderChronyConf } from './render';
import { family } from './steps';

/** Debian 12's chrony: the .deb a mirror may carry (chrony/v4.3/<arch>/chrony_4.3_<arch>.deb). */
export const CHRONY_VERSION = 'v4.3';

// sudo: chronyd is in /usr/sbin, not on a plain user's PATH
const hasChrony = async (ctx: KxContext) => (await ctx.exec('command -v chronyd >/dev/null', { sudo: true, quiet: true })).exitCode === 0;

/** chrony from the OS (system.debs/rpms ran before) or, on Debian hosts, the .deb from the artifact mirror. */
export const installChronyStep: KxStep = {
  name: 'Install chrony (system.ntpServers)',
  check: hasChrony,
  run: async (ctx) => {
    const f = await family(ctx);
    const how = 'add chrony to system.debs / system.rpms (with a package repository the host can reach)';
    if (f !== 'debian') throw new StepError('command', `chrony is not installed on ${ctx.host.name}: ${how}`);
    if (!ctx.runtime.spec.artifacts.mirror) throw new StepError('command', `chrony is not installed on ${ctx.host.name}: ${how}, or set artifacts.mirror to a mirror that carries chrony ${CHRONY_VERSION}`);
    const art = await artifactFor(ctx, { component: 'chrony', version: CHRONY_VERSION });
    const deb = art.files['chrony.deb'];
    if (!deb) throw new StepError('internal', `chrony ${CHRONY_VERSION} has no chrony.deb`);
    const tmp = '/var/tmp/kubexms-chrony.deb';
    await ctx.upload({ path: deb }, tmp, { mode: 0o644, sudo: true });
    const res = await ctx.exec(sh`DEBIAN_FRONTEND=noninteractive dpkg -i ${tmp}; rc=$?; rm -f ${tmp}; exit $rc`, { sudo: true });
    if (res.exitCode !== 0) throw new StepError('command', `dpkg could not install chrony ${CHRONY_VERSION} from the mirror on ${ctx.host.name}: ${res.stderr.trim().split('\n').slice(-2).join(' ')}`);
  },
};

export const chronyStep: KxStep = {
  name: 'Configure chrony (system.ntpServers)',
  writes: ({ spec, host, facts }) => [{ path: facts.osFamily === 'rhel' ? CHRONY_CONF.rhel : CHRONY_CONF.debian, content: renderChronyConf(spec, host.name), mode: 0o644 }],
  check: async (ctx) => {
    const f = await family(ctx);
    return fileMatches(ctx, f === 'rhel' ? CHRONY_CONF.rhel : CHRONY_CONF.debian, renderChronyConf(ctx.runtime.spec, ctx.host.name), 0o644);
  },
  run: async (ctx) => {
    const f = await family(ctx);
    const path = f === 'rhel' ? CHRONY_CONF.rhel : CHRONY_CONF.debian;
    const unit = f === 'rhel' ? 'chronyd.service' : 'chrony.service';
    const conf = renderChronyConf(ctx.runtime.spec, ctx.host.name);
    const tmp = `${path}.kubexms-new`;
    await ctx.upload(Buffer.from(conf), tmp, { mode: 0o644, sudo: true });
    // chronyd parses the file itself before it replaces the old one
    const parsed = await ctx.exec(sh`chronyd -p -f ${tmp}`, { sudo: true });
    if (parsed.exitCode !== 0) throw new StepError('command', `chronyd refused the rendered configuration: ${parsed.stderr.trim()}`);
    await ctx.sudo(sh`mv -f -- ${tmp} ${path}`);
    await ctx.sudo(sh`systemctl enable ${unit} >/dev/null 2>&1 || true; systemctl restart ${unit}`);
  },
};
