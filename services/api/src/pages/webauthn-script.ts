import { createHash } from 'node:crypto';

/**
 * The one script of the hosted pages: it runs the WebAuthn ceremony of a form marked
 * `data-webauthn="register"` or `"authenticate"` (options in `data-options`, as the server made
 * them), puts the credential's JSON into the form's `credential` field and submits it. It makes no
 * request of its own, so the form's CSRF token and Post/Redirect/Get apply as to every other form.
 * Pages that carry it allow exactly this file, by nonce, and still no inline script.
 */
export const WEBAUTHN_SCRIPT = `'use strict';
(function () {
  function fromB64u(value) {
    var padded = value.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((value.length + 3) % 4);
    var binary = atob(padded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }
  function toB64u(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function withIds(list) {
    return (list || []).map(function (c) { return { type: c.type, id: fromB64u(c.id), transports: c.transports }; });
  }
  function creation(o) {
    return { rp: o.rp, user: { id: fromB64u(o.user.id), name: o.user.name, displayName: o.user.displayName }, challenge: fromB64u(o.challenge), pubKeyCredParams: o.pubKeyCredParams, timeout: o.timeout, excludeCredentials: withIds(o.excludeCredentials), authenticatorSelection: o.authenticatorSelection, attestation: o.attestation, extensions: o.extensions };
  }
  function request(o) {
    return { challenge: fromB64u(o.challenge), timeout: o.timeout, rpId: o.rpId, allowCredentials: withIds(o.allowCredentials), userVerification: o.userVerification, extensions: o.extensions };
  }
  function asJson(credential) {
    var r = credential.response;
    var response = { clientDataJSON: toB64u(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64u(r.attestationObject);
      response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64u(r.authenticatorData);
      response.signature = toB64u(r.signature);
      if (r.userHandle) response.userHandle = toB64u(r.userHandle);
    }
    return JSON.stringify({ id: credential.id, rawId: toB64u(credential.rawId), type: credential.type, authenticatorAttachment: credential.authenticatorAttachment || undefined, clientExtensionResults: credential.getClientExtensionResults(), response: response });
  }
  var forms = document.querySelectorAll('form[data-webauthn]');
  for (var i = 0; i < forms.length; i++) {
    (function (form) {
      var status = form.querySelector('[data-webauthn-status]');
      var say = function (text) { if (status) status.textContent = text; };
      if (!window.PublicKeyCredential) { say('This browser cannot use passkeys.'); return; }
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var options = JSON.parse(form.getAttribute('data-options'));
        var ceremony = form.getAttribute('data-webauthn') === 'register'
          ? navigator.credentials.create({ publicKey: creation(options) })
          : navigator.credentials.get({ publicKey: request(options) });
        say('Follow your browser\\'s prompt…');
        ceremony.then(function (credential) {
          form.querySelector('input[name="credential"]').value = asJson(credential);
          form.submit();
        }, function (error) {
          say(error && error.name === 'NotAllowedError' ? 'The passkey was not used. Try again when you are ready.' : 'The passkey could not be used: ' + (error && error.name ? error.name : 'unknown error') + '.');
        });
      });
    })(forms[i]);
  }
})();
`;

/** Subresource Integrity of the script (`integrity` on its tag), so a changed file does not run. */
export const WEBAUTHN_SCRIPT_INTEGRITY = `sha256-${createHash('sha256').update(WEBAUTHN_SCRIPT, 'utf8').digest('base64')}`;
