// A dependency-free OAuth 2.1 public client for the browser:
// - authorization code + PKCE (S256) with state and nonce kept in sessionStorage for one round trip;
// - checks `state` and `iss` (RFC 9207) on the callback before using the code;
// - the access token stays in memory only; the refresh token is an HttpOnly cookie at the issuer,
//   sent with `credentials: 'include'` and the CSRF header the token endpoint requires.

const config = await (await fetch('config.json')).json();
const $ = (id) => document.getElementById(id);
let session = null; // { accessToken, idToken, expiresIn }

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n = 32) => b64url(crypto.getRandomValues(new Uint8Array(n)));

async function discovery() {
  return (await fetch(`${config.issuer}/.well-known/openid-configuration`)).json();
}

async function signIn() {
  const meta = await discovery();
  const verifier = random();
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = random(16);
  const nonce = random(16);
  sessionStorage.setItem('lanyard.pending', JSON.stringify({ verifier, state, nonce }));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString();
  location.assign(url);
}

async function tokenRequest(params, extraHeaders = {}) {
  const meta = await discovery();
  const response = await fetch(meta.token_endpoint, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...extraHeaders },
    body: new URLSearchParams({ client_id: config.clientId, ...params }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.error}: ${body.error_description}`);
  return body;
}

async function handleCallback() {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem('lanyard.pending') ?? 'null');
  sessionStorage.removeItem('lanyard.pending');
  history.replaceState(null, '', config.redirectUri.replace(/callback$/, ''));
  if (pending === null || params.get('state') !== pending.state) throw new Error('state mismatch: ignoring this callback');
  if (params.get('iss') !== config.issuer) throw new Error('iss mismatch (RFC 9207): ignoring this callback');
  if (params.has('error')) throw new Error(`${params.get('error')}: ${params.get('error_description')}`);
  const tokens = await tokenRequest({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: config.redirectUri, code_verifier: pending.verifier });
  const claims = JSON.parse(atob(tokens.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  if (claims.nonce !== pending.nonce) throw new Error('nonce mismatch');
  return tokens;
}

async function refresh() {
  return tokenRequest({ grant_type: 'refresh_token' }, { 'x-csrf-token': random(16) });
}

async function show(tokens) {
  session = { accessToken: tokens.access_token, idToken: tokens.id_token ?? session?.idToken, expiresIn: tokens.expires_in };
  const meta = await discovery();
  const me = await (await fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${session.accessToken}` } })).json();
  $('email').textContent = me.email;
  $('sub').textContent = me.sub;
  $('expires').textContent = String(session.expiresIn);
  $('signed-in').hidden = false;
  $('signed-out').hidden = true;
  $('status').textContent = 'Signed in';
}

async function signOut() {
  const meta = await discovery();
  const url = new URL(meta.end_session_endpoint);
  url.search = new URLSearchParams({ id_token_hint: session.idToken, post_logout_redirect_uri: config.postLogoutRedirectUri, state: random(16) }).toString();
  location.assign(url);
}

$('sign-in').addEventListener('click', () => signIn().catch(fail));
$('refresh').addEventListener('click', () => refresh().then(show).catch(fail));
$('sign-out').addEventListener('click', () => signOut().catch(fail));

function fail(error) {
  $('error').hidden = false;
  $('error').textContent = String(error.message ?? error);
  $('status').textContent = 'Error';
}

function signedOut() {
  $('signed-out').hidden = false;
  $('signed-in').hidden = true;
  $('status').textContent = 'Signed out';
}

if (location.pathname.endsWith('/callback')) {
  await handleCallback().then(show).catch((error) => {
    signedOut();
    fail(error);
  });
} else {
  // An existing refresh cookie signs us back in after a reload; without one we are signed out.
  await refresh().then(show).catch(signedOut);
}
