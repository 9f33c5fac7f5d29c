import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEnv } from '../../env';
import { roleFromClaims, usernameFromClaims } from './claims';
import { oidcSettings } from './env';

const settings = oidcSettings({ KUBEXMS_OIDC_ISSUER: 'https://id.example', KUBEXMS_OIDC_CLIENT_ID: 'kx', KUBEXMS_OIDC_ROLE_MAP: 'ops = operator, admins=admin,readers=viewer', KUBEXMS_OIDC_ALLOWED_DOMAINS: 'Corp.example', KUBEXMS_OIDC_DEFAULT_ROLE: 'viewer' })!;

test('the role is the highest mapped group; else a verified email of an allowed domain gets the default role; else refused', () => {
  assert.equal(roleFromClaims(settings, { sub: 'a', groups: ['readers', 'admins', 'ops'] }), 'admin');
  assert.equal(roleFromClaims(settings, { sub: 'a', groups: 'ops' }), 'operator');
  assert.equal(roleFromClaims(settings, { sub: 'a', groups: ['other'], email: 'x@corp.EXAMPLE', email_verified: true }), 'viewer');
  assert.equal(roleFromClaims(settings, { sub: 'a', email: 'x@corp.example', email_verified: false }), null, 'unverified email');
  assert.equal(roleFromClaims(settings, { sub: 'a', email: 'x@evil-corp.example', email_verified: true }), null);
  assert.equal(roleFromClaims(settings, { sub: 'a', email: 'x@corp.example.evil', email_verified: true }), null);
  assert.equal(roleFromClaims({ ...settings, roleClaim: 'roles' }, { sub: 'a', groups: ['admins'], roles: ['ops'] }), 'operator');
});

test('user names: email, else preferred_username, else sub; lower-cased to the allowed characters', () => {
  assert.equal(usernameFromClaims({ sub: 's', email: 'Alice@Example.com', preferred_username: 'al' }), 'alice@example.com');
  assert.equal(usernameFromClaims({ sub: 's', preferred_username: 'Al Ice' }), 'al-ice');
  assert.equal(usernameFromClaims({ sub: 'abc|123' }), 'abc-123');
});

test('env: an issuer without a client id, or without any way to get a role, stops the start naming the variable', () => {
  const base = { NODE_ENV: 'test' as const, KUBEXMS_DATA_DIR: '/tmp', KUBEXMS_OIDC_ISSUER: 'https://id.example' };
  assert.throws(() => loadEnv({ ...base, KUBEXMS_OIDC_ROLE_MAP: 'a=admin' }), /KUBEXMS_OIDC_CLIENT_ID/);
  assert.throws(() => loadEnv({ ...base, KUBEXMS_OIDC_CLIENT_ID: 'kx' }), /KUBEXMS_OIDC_ROLE_MAP/);
  assert.throws(() => loadEnv({ ...base, KUBEXMS_OIDC_CLIENT_ID: 'kx', KUBEXMS_OIDC_ROLE_MAP: 'a=root' }), /KUBEXMS_OIDC_ROLE_MAP/);
  assert.equal(loadEnv({ ...base, KUBEXMS_OIDC_CLIENT_ID: 'kx', KUBEXMS_OIDC_ALLOWED_DOMAINS: 'corp.example' }).KUBEXMS_OIDC_DEFAULT_ROLE, 'viewer');
  assert.equal(oidcSettings(loadEnv({ NODE_ENV: 'test', KUBEXMS_DATA_DIR: '/tmp' })), null);
});
