'use client';
import { SelectField, TextArea, TextField, type Errors } from './field';
import type { WizardForm } from './form-model';
import { calicoChoiceErrors, carried, hooksText, listText, toHooks, toList, toNumber, withCalico, withCarried } from './tuning-model';

type Props = { form: WizardForm; setForm: (f: WizardForm) => void; errors: Errors };
const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const fieldset = 'col-span-full grid grid-cols-1 gap-3 rounded-md border border-zinc-200 p-3 md:grid-cols-2 dark:border-zinc-800';
const legend = 'px-1 text-xs font-medium text-zinc-600 dark:text-zinc-400';

/** Kubernetes and etcd tuning (KubeKey's kubernetes.* and etcd.*), in the cluster step. */
export function ClusterTuning({ form, setForm, errors }: Props) {
  const k = (key: string) => carried(form, 'kubernetes', key);
  return (
    <fieldset className={fieldset}>
      <legend className={legend}>Kubernetes and etcd tuning</legend>
      <SelectField name="kubernetes.proxyMode" label="kube-proxy mode" value={text(k('proxyMode'))} error={errors.get('kubernetes.proxyMode')}
        onChange={(v) => setForm(withCarried(form, 'kubernetes', 'proxyMode', v || undefined))}
        options={[{ value: '', label: 'default (iptables)' }, { value: 'iptables', label: 'iptables' }, { value: 'ipvs', label: 'ipvs (loads the ip_vs modules)' }]} />
      <TextField name="kubernetes.maxPods" label="Max pods per node" inputMode="numeric" value={text(k('maxPods'))} error={errors.get('kubernetes.maxPods')} hint="empty = kubelet's default (110)"
        onChange={(v) => setForm(withCarried(form, 'kubernetes', 'maxPods', toNumber(v)))} />
      <TextArea name="kubernetes.apiserverCertExtraSans" label="Extra API server certificate names (one per line)" value={listText(k('apiserverCertExtraSans'))}
        error={[...errors].find(([p]) => p.startsWith('kubernetes.apiserverCertExtraSans'))?.[1]}
        onChange={(v) => setForm(withCarried(form, 'kubernetes', 'apiserverCertExtraSans', toList(v)))} />
      <div className="grid grid-cols-1 gap-3">
        <TextField name="etcd.quotaBackendBytes" label="etcd quota (bytes)" inputMode="numeric" value={text(carried(form, 'etcd', 'quotaBackendBytes'))} error={errors.get('etcd.quotaBackendBytes')} hint="empty = etcd's default (2 GiB)"
          onChange={(v) => setForm(withCarried(form, 'etcd', 'quotaBackendBytes', toNumber(v)))} />
        <TextField name="etcd.snapshotCount" label="etcd snapshot count" inputMode="numeric" value={text(carried(form, 'etcd', 'snapshotCount'))} error={errors.get('etcd.snapshotCount')} hint="empty = 10000"
          onChange={(v) => setForm(withCarried(form, 'etcd', 'snapshotCount', toNumber(v)))} />
      </div>
    </fieldset>
  );
}

/** KubeKey's system section: time and the hook scripts every host runs. */
export function SystemFields({ form, setForm, errors }: Props) {
  const s = (key: string) => carried(form, 'system', key);
  const listError = (p: string) => [...errors].find(([e]) => e === p || e.startsWith(`${p}.`))?.[1];
  return (
    <fieldset className={fieldset}>
      <legend className={legend}>System (time, hook scripts)</legend>
      <TextArea name="system.ntpServers" label="NTP servers (one per line; a host name here serves the others)" value={listText(s('ntpServers'))} error={listError('system.ntpServers')}
        onChange={(v) => setForm(withCarried(form, 'system', 'ntpServers', toList(v)))} />
      <TextField name="system.timezone" label="Time zone" value={text(s('timezone'))} error={errors.get('system.timezone')} hint="e.g. Asia/Shanghai; empty = leave it"
        onChange={(v) => setForm(withCarried(form, 'system', 'timezone', v.trim() || undefined))} />
      {(['preInstall', 'postInstall'] as const).map((phase) => (
        <TextArea key={phase} name={`system.${phase}`} label={`${phase === 'preInstall' ? 'Before the install' : 'After the install'}: one hook per line, "name: command"`}
          value={hooksText(s(phase))} error={listError(`system.${phase}`)} hint="run as root on every host, on every run: make them safe to repeat" onChange={(v) => setForm(withCarried(form, 'system', phase, toHooks(v, s(phase))))} />
      ))}
    </fieldset>
  );
}

/** calico's encapsulation and MTU (KubeKey's network.calico), in the network step. */
export function CalicoFields({ form, setForm, errors }: Props) {
  const c = (carried(form, 'network', 'calico') ?? {}) as Record<string, unknown>;
  const modes = ['Always', 'CrossSubnet', 'Never'].map((m) => ({ value: m, label: m }));
  const chosen = calicoChoiceErrors(form);
  const error = (key: string) => errors.get(`network.calico.${key}`) ?? chosen.get(`network.calico.${key}`);
  return (
    <fieldset className={fieldset}>
      <legend className={legend}>Calico encapsulation</legend>
      <SelectField name="network.calico.ipipMode" label="IP-in-IP" value={text(c.ipipMode ?? 'Always')} options={modes} error={error('ipipMode')} onChange={(v) => setForm(withCalico(form, 'ipipMode', v))} />
      <SelectField name="network.calico.vxlanMode" label="VXLAN" value={text(c.vxlanMode ?? 'Never')} options={modes} error={error('vxlanMode')} onChange={(v) => setForm(withCalico(form, 'vxlanMode', v))} />
      <TextField name="network.calico.vethMTU" label="Pod interface MTU" inputMode="numeric" value={text(c.vethMTU ?? 0)} error={error('vethMTU')} hint="0 = detect"
        onChange={(v) => setForm(withCalico(form, 'vethMTU', toNumber(v) ?? 0))} />
    </fieldset>
  );
}
