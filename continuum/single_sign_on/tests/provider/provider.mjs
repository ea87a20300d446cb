// A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider
// (certified), with one small sign-in page of our own instead of its development one, so
// each test says who signs in and what the provider asserts about them (email, whether it
// is verified, and the amr/acr that say whether a second factor was used).
//
// Started by continuum/single_sign_on/tests/conftest.py:
//   PORT=<free port> CLIENT_ID=... CLIENT_SECRET=... REDIRECT_URI=... node provider.mjs
// It prints "listening <issuer>" once it answers. Test-only: never run it anywhere else.
import http from 'node:http';
import crypto from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

// What the sign-in page was told about each account, kept in memory.
const accounts = new Map();

// The provider signs ID tokens with its own key. A test may make it publish another key
// under the same key id (POST /test/keys with "foreign", and "own" to undo), to prove a
// token whose signature the published keys do not verify is refused.
const signingKey = (privateKey) => ({ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' });
const rsa = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const own = signingKey(rsa().privateKey);
const { d, p, q, dp, dq, qi, ...foreignPublic } = signingKey(rsa().privateKey);
let publishForeignKey = false;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  // ID tokens live 30 seconds, so a test can show an expired one is refused.
  ttl: { IdToken: 30 },
  acrValues: ['urn:continuum:test:password', 'urn:continuum:test:multi-factor'],
  claims: { openid: ['sub', 'acr', 'amr'], email: ['email', 'email_verified'] },
  // Put the email in the ID token itself, as councils' and the NHS's providers do.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  jwks: { keys: [own] },
  async findAccount(ctx, accountId) {
    return {
      accountId,
      async claims() {
        return { sub: accountId, ...(accounts.get(accountId) || {}) };
      },
    };
  },
});

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function signInPage(req, res) {
  const details = await provider.interactionDetails(req, res);
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><title>Test identity provider</title>
<form method="post" action="/interaction/${escape(details.uid)}/login">
<input name="login"> <input name="email"> <input name="email_verified">
<input name="amr"> <input name="acr"> <button>Sign in</button></form>`);
}

async function signIn(req, res) {
  const form = await readBody(req);
  const details = await provider.interactionDetails(req, res);
  const accountId = form.get('login');
  accounts.set(accountId, {
    email: form.get('email') || undefined,
    email_verified: form.get('email_verified') === 'true',
  });
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const login = { accountId };
  if (form.get('amr')) login.amr = form.get('amr').split(',');
  if (form.get('acr')) login.acr = form.get('acr');
  await provider.interactionFinished(
    req, res, { login, consent: { grantId } }, { mergeWithLastSubmission: false },
  );
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const { pathname } = new URL(req.url, issuer);
    const match = pathname.match(/^\/interaction\/[^/]+(\/login)?$/);
    if (match && req.method === 'GET' && !match[1]) return await signInPage(req, res);
    if (match && req.method === 'POST' && match[1]) return await signIn(req, res);
    if (pathname === '/test/keys' && req.method === 'POST') {
      publishForeignKey = (await readBody(req)).has('foreign');
      return res.end('ok');
    }
    if (pathname === '/jwks' && publishForeignKey) {
      res.setHeader('content-type', 'application/jwk-set+json; charset=utf-8');
      return res.end(JSON.stringify({ keys: [foreignPublic] }));
    }
    return callback(req, res);
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
