'use client';
import type { Role } from '@/server/contracts/cluster-spec';
import { ROLES } from '@/server/contracts/spec-host';
import { CONTAINERD_VERSIONS, ETCD_VERSIONS, KUBERNETES_VERSIONS } from '@/server/contracts/versions';
import { SelectField, TextArea, TextField, type Errors } from './field';
import type { Minimums, WizardForm } from './form-model';
import { CalicoFields, ClusterTuning, SystemFields } from './tuning-fields';

type Props = { form: WizardForm; set: <K extends keyof WizardForm>(k: K, v: WizardForm[K]) => void; errors: Errors };

const versionOptions = (list: readonly string[]) => [...list].reverse().map((v) => ({ value: v, label: v }));

export function BasicsStep({ form, set, errors }: Props) {
  return (
    <section className="grid max-w-3xl grid-cols-1 gap-4 md:grid-cols-2" aria-label="Cluster basics">
      <TextField name="name" label="Cluster name" value={form.name} onChange={(v) => set('name', v)} error={errors.get('name')} hint="lowercase letters, digits and -" required />
      <SelectField name="kubernetes.version" label="Kubernetes version" value={form.kubernetesVersion} onChange={(v) => set('kubernetesVersion', v)} error={errors.get('kubernetes.version')} options={versionOptions(KUBERNETES_VERSIONS)} />
      <SelectField name="kubernetes.containerRuntime" label="Container runtime" value="containerd" onChange={() => undefined} options={[{ value: 'containerd', label: 'containerd' }]} />
      <TextField name="kubernetes.clusterDomain" label="Cluster domain" value={form.clusterDomain} onChange={(v) => set('clusterDomain', v)} error={errors.get('kubernetes.clusterDomain')} />
      <TextField name="kubernetes.clusterName" label="Cluster name in kubeconfig" value={form.clusterName} onChange={(v) => set('clusterName', v)} error={errors.get('kubernetes.clusterName')} />
      <SelectField name="etcd.version" label="etcd version" value={form.etcdVersion} onChange={(v) => set('etcdVersion', v)} error={errors.get('etcd.version')} options={versionOptions(ETCD_VERSIONS)} />
      <SelectField name="containerd.version" label="containerd version" value={form.containerdVersion} onChange={(v) => set('containerdVersion', v)} error={errors.get('containerd.version')} options={versionOptions(CONTAINERD_VERSIONS)} />
      <TextField name="artifacts.mirror" label="Artifact mirror (offline installs)" value={form.artifactsMirror} onChange={(v) => set('artifactsMirror', v)} error={errors.get('artifacts.mirror')} hint="base URL; empty = official release sites" />
      <SelectField name="preflight.firewall" label="Active firewall on a host" value={form.firewall} onChange={(v) => set('firewall', v)} options={[{ value: 'check', label: 'fail the preflight' }, { value: 'disable', label: 'disable it' }, { value: 'ignore', label: 'ignore it' }]} />
      <PreflightMinimums form={form} set={set} errors={errors} />
      <ClusterTuning form={form} setForm={(f) => set('carry', f.carry)} errors={errors} />
      <SystemFields form={form} setForm={(f) => set('carry', f.carry)} errors={errors} />
    </section>
  );
}

export function RolesStep({ form, setHosts, errors, warnings }: { form: WizardForm; setHosts: (h: WizardForm['hosts']) => void; errors: Errors; warnings: readonly string[] }) {
  const toggle = (key: string, role: Role) =>
    setHosts(form.hosts.map((h) => (h.key !== key ? h : { ...h, roles: h.roles.includes(role) ? h.roles.filter((r) => r !== role) : [...h.roles, role] })));
  const count = (r: Role) => form.hosts.filter((h) => h.roles.includes(r)).length;
  const roleErrors = [...errors].filter(([p]) => p === 'hosts' || /^hosts\.\d+\.roles/.test(p));
  return (
    <section aria-label="Roles" className="flex flex-col gap-3">
      <p className="text-sm text-zinc-500">At least one control-plane and one etcd host; an odd number of etcd members survives failures best.</p>
      <table className="w-full max-w-3xl text-sm">
        <thead><tr className="text-left text-xs uppercase text-zinc-500"><th className="py-1">Host</th>{ROLES.map((r) => <th key={r} className="py-1">{r} ({count(r)})</th>)}</tr></thead>
        <tbody>
          {form.hosts.map((h, i) => (
            <tr key={h.key} className="border-t border-zinc-200 dark:border-zinc-800">
              <td className="py-1.5 font-mono">{h.name || `host ${i + 1}`}<span className="ml-2 text-xs text-zinc-500">{h.address}</span></td>
              {ROLES.map((r) => (
                <td key={r}><input type="checkbox" aria-label={`${r} on ${h.name || `host ${i + 1}`}`} checked={h.roles.includes(r)} onChange={() => toggle(h.key, r)} /></td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {roleErrors.map(([p, m]) => <p key={p} role="alert" className="text-sm text-status-failed">{m}</p>)}
      {warnings.map((w) => <p key={w} className="text-sm text-status-cancelled">⚠ {w}</p>)}
    </section>
  );
}

export function NetworkStep({ form, set, errors }: Props) {
  return (
    <section aria-label="Network" className="grid max-w-3xl grid-cols-1 gap-4 md:grid-cols-2">
      <SelectField name="network.plugin" label="CNI plugin" value={form.plugin} onChange={(v) => set('plugin', v)} options={[{ value: 'calico', label: 'Calico' }, { value: 'flannel', label: 'Flannel' }]} />
      <div />
      <TextField name="network.podCidr" label="Pod CIDR" value={form.podCidr} onChange={(v) => set('podCidr', v)} error={errors.get('network.podCidr')} />
      <TextField name="network.serviceCidr" label="Service CIDR" value={form.serviceCidr} onChange={(v) => set('serviceCidr', v)} error={errors.get('network.serviceCidr')} />
      <TextField name="kubernetes.controlPlaneEndpoint.domain" label="Control-plane endpoint domain" value={form.endpointDomain} onChange={(v) => set('endpointDomain', v)} error={errors.get('kubernetes.controlPlaneEndpoint.domain')} />
      <TextField name="kubernetes.controlPlaneEndpoint.address" label="Endpoint address (load balancer / VIP)" value={form.endpointAddress} onChange={(v) => set('endpointAddress', v)} error={errors.get('kubernetes.controlPlaneEndpoint.address')} hint="empty = the first control-plane host" />
      <TextField name="kubernetes.controlPlaneEndpoint.port" label="Endpoint port" value={form.endpointPort} onChange={(v) => set('endpointPort', v)} error={errors.get('kubernetes.controlPlaneEndpoint.port')} />
      <SelectField name="kubernetes.controlPlaneEndpoint.internalLoadbalancer" label="Internal load balancer" value={form.internalLoadbalancer} onChange={(v) => set('internalLoadbalancer', v)} error={errors.get('kubernetes.controlPlaneEndpoint.internalLoadbalancer')}
        options={[{ value: '', label: 'none (endpoint address or first control plane)' }, { value: 'haproxy', label: 'haproxy on every worker (HA)' }]} />
      {form.plugin === 'calico' ? <CalicoFields form={form} setForm={(f) => set('carry', f.carry)} errors={errors} /> : null}
    </section>
  );
}

export function RegistryStep({ form, set, errors }: Props) {
  const listError = (p: string) => [...errors].find(([k]) => k === p || k.startsWith(`${p}.`))?.[1];
  return (
    <section aria-label="Registry" className="grid max-w-3xl grid-cols-1 gap-4 md:grid-cols-2">
      <TextArea name="registry.mirrors" label="Registry mirrors (one URL per line)" value={form.mirrors} onChange={(v) => set('mirrors', v)} error={listError('registry.mirrors')} />
      <TextArea name="registry.insecureRegistries" label="Insecure registries (host[:port] per line)" value={form.insecureRegistries} onChange={(v) => set('insecureRegistries', v)} error={listError('registry.insecureRegistries')} />
      <TextField name="registry.privateRegistry.url" label="Private registry URL" value={form.privateRegistryUrl} onChange={(v) => set('privateRegistryUrl', v)} error={errors.get('registry.privateRegistry.url')} />
      <TextField name="registry.privateRegistry.username" label="Username" value={form.privateRegistryUser} onChange={(v) => set('privateRegistryUser', v)} error={errors.get('registry.privateRegistry.username')} />
      <TextField name="registry.privateRegistry.password" type="password" label="Password" value={form.privateRegistryPassword} onChange={(v) => set('privateRegistryPassword', v)} error={errors.get('registry.privateRegistry.password')} hint={form.privateRegistryPasswordStored ? 'set — leave empty to keep' : undefined} autoComplete="new-password" />
    </section>
  );
}

const MINIMUM_FIELDS: ReadonlyArray<{ key: keyof Minimums; label: string }> = [
  { key: 'minCpuControlPlane', label: 'CPUs, control plane' },
  { key: 'minMemControlPlaneMb', label: 'Memory MiB, control plane' },
  { key: 'minCpuWorker', label: 'CPUs, worker' },
  { key: 'minMemWorkerMb', label: 'Memory MiB, worker' },
  { key: 'minDiskGb', label: 'Free disk GB' },
  { key: 'maxTimeSkewSeconds', label: 'Max clock skew s' },
];

function PreflightMinimums({ form, set, errors }: Props) {
  return (
    <fieldset className="col-span-full rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <legend className="px-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Preflight minimums per host</legend>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
        {MINIMUM_FIELDS.map(({ key, label }) => (
          <TextField key={key} name={`preflight.${key}`} label={label} value={form.minimums[key]} inputMode="numeric"
            onChange={(v) => set('minimums', { ...form.minimums, [key]: v })} error={errors.get(`preflight.${key}`)} />
        ))}
      </div>
    </fieldset>
  );
}
