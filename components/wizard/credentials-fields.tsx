'use client';
import { SelectField, TextArea, TextField, type Errors } from './field';
import type { Credentials } from './form-model';
import { KeyFileInput } from './key-file-input';

type Props = {
  /** spec path of these credentials: hostDefaults or hosts.N */
  at: string;
  value: Credentials;
  onChange: (patch: Partial<Credentials>) => void;
  errors: Errors;
  /** what an empty user / sudo password falls back to, for a host's own credentials */
  userHint?: string;
  sudoHint?: string;
  showUser?: boolean;
};

const stored = (set: boolean) => (set ? 'set — leave empty to keep' : undefined);

export function CredentialsFields({ at, value: c, onChange, errors, userHint, sudoHint, showUser = true }: Props) {
  const e = (f: string) => errors.get(`${at}.${f}`);
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-6">
      {showUser ? <TextField name={`${at}.user`} label="User" value={c.user} onChange={(v) => onChange({ user: v })} error={e('user')} hint={userHint} className="md:col-span-2" /> : null}
      <SelectField name={`${at}.auth.type`} label="Sign in with" value={c.authType} onChange={(v) => onChange({ authType: v })}
        options={[{ value: 'key', label: 'Private key' }, { value: 'password', label: 'Password' }]} className="md:col-span-2" />
      <TextField name={`${at}.sudoPassword`} type="password" label="sudo password" value={c.sudoPassword} onChange={(v) => onChange({ sudoPassword: v })}
        error={e('sudoPassword')} hint={stored(c.stored.sudoPassword) ?? sudoHint ?? 'only for non-root users without NOPASSWD'} autoComplete="new-password" className="md:col-span-2" />
      {c.authType === 'key' ? (
        <>
          <TextArea name={`${at}.auth.privateKey`} label="Private key (OpenSSH or PEM): paste, or load a file" value={c.privateKey} onChange={(v) => onChange({ privateKey: v })}
            error={e('auth.privateKey')} hint={stored(c.stored.privateKey)} rows={3} className="col-span-2 md:col-span-4" />
          <div className="col-span-2 flex flex-col gap-3">
            <KeyFileInput label="Private key file" onKey={(text) => onChange({ privateKey: text })} />
            <TextField name={`${at}.auth.passphrase`} type="password" label="Key passphrase" value={c.passphrase} onChange={(v) => onChange({ passphrase: v })}
              error={e('auth.passphrase')} hint={stored(c.stored.passphrase)} autoComplete="new-password" />
          </div>
        </>
      ) : (
        <TextField name={`${at}.auth.password`} type="password" label="SSH password" value={c.password} onChange={(v) => onChange({ password: v })}
          error={e('auth.password')} hint={stored(c.stored.password)} autoComplete="new-password" className="md:col-span-2" />
      )}
    </div>
  );
}
