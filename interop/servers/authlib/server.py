"""An OAuth 2.0 / OpenID Connect authorization server built from Authlib's Flask integration.

Written from Authlib 1.2's documentation (Debian `python3-authlib`), with in-memory models:
every grant, endpoint and client authentication method is Authlib's own class; this file
only supplies the storage Authlib asks its subclasses for, a login/consent page for the
authorization endpoint, a device verification page, and the metadata documents (Authlib
validates them but does not serve them).

Usage: python3 server.py CONFIG.json
CONFIG.json (written by the test harness):
  {
    "access_token_ttl": 300,                # seconds
    "device_interval": 1,                   # seconds between device polls
    "users": [{"username": "alice", "password": "..."}],
    "clients": [{
      "client_id": "...", "client_secret": "..." (optional),
      "auth_methods": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
      "grant_types": ["client_credentials", "password", "refresh_token", ...],
      "redirect_uris": ["http://127.0.0.1/callback"],  # loopback: any port (RFC 8252 §7.3)
      "rotate_refresh_token": true,
      "jwk": {...},                         # public key for private_key_jwt / jwt-bearer
      "forge_id_token_nonce": false         # test hook: ID tokens carry a nonce not asked for
    }]
  }

Prints `PORT <n>` on stdout once listening on 127.0.0.1. Test hooks (not OAuth):
`GET /test/requests` lists every token endpoint request (grant type, how the client
authenticated, status); `GET /test/metadata-requests` lists the well-known paths fetched.
"""

import json
import os
import secrets
import signal
import sys
import threading
import time
from urllib.parse import urlparse

# The server runs on http://127.0.0.1 for the tests; Authlib refuses plain http otherwise.
os.environ['AUTHLIB_INSECURE_TRANSPORT'] = '1'

from authlib.integrations.flask_oauth2 import AuthorizationServer  # noqa: E402
from authlib.jose import JsonWebKey  # noqa: E402
from authlib.oauth2.rfc6749 import (  # noqa: E402
    AuthorizationCodeMixin,
    ClientMixin,
    OAuth2Error,
    TokenMixin,
    grants,
)
from authlib.oauth2.rfc7009 import RevocationEndpoint  # noqa: E402
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion, JWTBearerGrant  # noqa: E402
from authlib.oauth2.rfc7636 import CodeChallenge  # noqa: E402
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata  # noqa: E402
from authlib.oauth2.rfc8628 import (  # noqa: E402
    DeviceAuthorizationEndpoint,
    DeviceCodeGrant,
    DeviceCredentialDict,
)
from authlib.oidc.core import UserInfo  # noqa: E402
from authlib.oidc.core.grants import OpenIDCode  # noqa: E402
from authlib.oidc.discovery import OpenIDProviderMetadata  # noqa: E402
from flask import Flask, jsonify, request  # noqa: E402
from markupsafe import escape  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']

with open(sys.argv[1], encoding='utf-8') as config_file:
    CONFIG = json.load(config_file)

LOCK = threading.RLock()
ISSUER = ''  # http://127.0.0.1:<port>, set once the port is known
USERS = {user['username']: user for user in CONFIG.get('users', [])}
TOKENS = {}  # access token -> Token
REFRESH_TOKENS = {}  # refresh token -> Token
CODES = {}  # authorization code -> AuthorizationCode
DEVICE_CODES = {}  # device code -> DeviceCredentialDict
DEVICE_GRANTS = {}  # user code -> (user, approved)
USED_JTIS = set()
TOKEN_REQUESTS = []  # what the test hooks report
METADATA_REQUESTS = []  # the well-known paths asked for, in order
ID_TOKEN_KEY = JsonWebKey.generate_key('RSA', 2048, is_private=True)
ID_TOKEN_KEY_ID = 'id-token-key'


def endpoint(path):
    return ISSUER + path


class User:
    def __init__(self, username):
        self.username = username

    def get_user_id(self):
        return self.username


class Client(ClientMixin):
    def __init__(self, data):
        self.client_id = data['client_id']
        self.client_secret = data.get('client_secret')
        self.auth_methods = data.get('auth_methods', ['client_secret_basic'])
        self.grant_types = data.get('grant_types', [])
        self.redirect_uris = data.get('redirect_uris', [])
        self.rotate_refresh_token = data.get('rotate_refresh_token', False)
        self.jwk = data.get('jwk')
        # Test hook: ID tokens carry another nonce than the request's, as an attacker's would.
        self.forge_id_token_nonce = data.get('forge_id_token_nonce', False)

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        return scope or ''

    def check_redirect_uri(self, redirect_uri):
        # RFC 8252 §7.3: a loopback redirect URI matches whatever port the client listens on.
        asked = urlparse(redirect_uri)
        for registered in map(urlparse, self.redirect_uris):
            if registered.hostname in ('127.0.0.1', '::1') and (
                asked.scheme,
                asked.hostname,
                asked.path,
            ) == (registered.scheme, registered.hostname, registered.path):
                return True
            if registered.geturl() == redirect_uri:
                return True
        return False

    def check_client_secret(self, client_secret):
        return self.client_secret is not None and secrets.compare_digest(
            self.client_secret.encode(), client_secret.encode()
        )

    def check_endpoint_auth_method(self, method, endpoint_name):
        return method in self.auth_methods

    def check_response_type(self, response_type):
        return response_type == 'code' and 'authorization_code' in self.grant_types

    def check_grant_type(self, grant_type):
        return grant_type in self.grant_types


CLIENTS = {data['client_id']: Client(data) for data in CONFIG.get('clients', [])}


class Token(TokenMixin):
    def __init__(self, data, client_id, user):
        self.access_token = data['access_token']
        self.refresh_token = data.get('refresh_token')
        self.scope = data.get('scope', '')
        self.expires_in = int(data.get('expires_in', 0))
        self.issued_at = time.time()
        self.client_id = client_id
        self.user = user
        self.revoked = False

    def check_client(self, client):
        return self.client_id == client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return self.issued_at + self.expires_in < time.time()

    def is_revoked(self):
        return self.revoked


class AuthorizationCode(AuthorizationCodeMixin):
    def __init__(self, code, client_id, user, req):
        self.code = code
        self.client_id = client_id
        self.user = user
        self.redirect_uri = req.redirect_uri
        self.scope = req.scope or ''
        self.nonce = req.data.get('nonce')
        self.auth_time = int(time.time())
        self.code_challenge = req.data.get('code_challenge')
        self.code_challenge_method = req.data.get('code_challenge_method')

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        if self.nonce and CLIENTS[self.client_id].forge_id_token_nonce:
            return 'forged-' + self.nonce
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


def query_client(client_id):
    return CLIENTS.get(client_id)


def save_token(token, req):
    user = req.user.username if req.user else None
    with LOCK:
        item = Token(token, req.client.get_client_id(), user)
        TOKENS[item.access_token] = item
        if item.refresh_token:
            REFRESH_TOKENS[item.refresh_token] = item


def authenticate_password(username, password):
    user = USERS.get(username)
    if user and secrets.compare_digest(user['password'].encode(), password.encode()):
        return User(username)
    return None


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS


class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def authenticate_user(self, username, password):
        return authenticate_password(username, password)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def authenticate_refresh_token(self, refresh_token):
        with LOCK:
            token = REFRESH_TOKENS.get(refresh_token)
        if token and not token.revoked:
            return token
        return None

    def authenticate_user(self, credential):
        return User(credential.user) if credential.user else None

    def issue_token(self, user, credential):
        # INCLUDE_NEW_REFRESH_TOKEN, per client: a rotating client gets a new refresh token.
        self.INCLUDE_NEW_REFRESH_TOKEN = self.request.client.rotate_refresh_token
        return super().issue_token(user, credential)

    def revoke_old_credential(self, credential):
        if self.request.client.rotate_refresh_token:
            credential.revoked = True


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def save_authorization_code(self, code, req):
        with LOCK:
            CODES[code] = AuthorizationCode(
                code, req.client.get_client_id(), req.user.username, req
            )

    def query_authorization_code(self, code, client):
        with LOCK:
            item = CODES.get(code)
        if item and item.client_id == client.get_client_id():
            return item
        return None

    def delete_authorization_code(self, authorization_code):
        with LOCK:
            CODES.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return User(authorization_code.user)


class OpenIDCodeExtension(OpenIDCode):
    def exists_nonce(self, nonce, req):
        with LOCK:
            return any(
                code.nonce == nonce and code.client_id == req.client_id for code in CODES.values()
            )

    def get_jwt_config(self, grant):
        return {
            'key': ID_TOKEN_KEY,
            'alg': 'RS256',
            'iss': ISSUER,
            'exp': 3600,
        }

    def generate_user_info(self, user, scope):
        return UserInfo(sub=user.username)


class DeviceGrant(DeviceCodeGrant):
    def query_device_credential(self, device_code):
        with LOCK:
            return DEVICE_CODES.get(device_code)

    def query_user_grant(self, user_code):
        with LOCK:
            return DEVICE_GRANTS.get(user_code)

    def should_slow_down(self, credential):
        return False


class DeviceEndpoint(DeviceAuthorizationEndpoint):
    INTERVAL = int(CONFIG.get('device_interval', 5))
    EXPIRES_IN = 600

    def get_verification_uri(self):
        return endpoint('/device')

    def save_device_credential(self, client_id, scope, data):
        with LOCK:
            DEVICE_CODES[data['device_code']] = DeviceCredentialDict(
                client_id=client_id,
                scope=scope,
                expires_at=int(time.time()) + data['expires_in'],
                **data,
            )


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        with LOCK:
            if token_type_hint == 'access_token':
                return TOKENS.get(token_string)
            if token_type_hint == 'refresh_token':
                return REFRESH_TOKENS.get(token_string)
            return TOKENS.get(token_string) or REFRESH_TOKENS.get(token_string)

    def revoke_token(self, token, req):
        token.revoked = True


class PrivateKeyJWT(JWTBearerClientAssertion):
    """`private_key_jwt` (RFC 7523 §2.2): the assertion's `aud` must be the token endpoint URL."""

    CLIENT_AUTH_METHOD = 'private_key_jwt'

    def validate_jti(self, claims, jti):
        key = f"{claims['sub']}:{jti}"
        with LOCK:
            if key in USED_JTIS:
                return False
            USED_JTIS.add(key)
            return True

    def resolve_client_public_key(self, client, headers):
        return JsonWebKey.import_key(client.jwk)


class JWTBearer(JWTBearerGrant):
    """The JWT bearer grant (RFC 7523 §2.1): the issuer is a registered client with a key."""

    def resolve_issuer_client(self, issuer):
        return CLIENTS.get(issuer)

    def resolve_client_key(self, client, headers, payload):
        return JsonWebKey.import_key(client.jwk)

    def authenticate_user(self, subject):
        return User(subject) if subject in USERS else None

    def has_granted_permission(self, client, user):
        return True


app = Flask(__name__)
app.config['OAUTH2_REFRESH_TOKEN_GENERATOR'] = True
app.config['OAUTH2_TOKEN_EXPIRES_IN'] = {
    grant: int(CONFIG.get('access_token_ttl', 300))
    for grant in (
        'authorization_code',
        'client_credentials',
        'password',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:jwt-bearer',
    )
}
server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
server.register_grant(ClientCredentialsGrant)
server.register_grant(PasswordGrant)
server.register_grant(RefreshTokenGrant)
server.register_grant(
    AuthorizationCodeGrant,
    [CodeChallenge(required=True), OpenIDCodeExtension(require_nonce=True)],
)
server.register_grant(DeviceGrant)
server.register_grant(JWTBearer)
server.register_endpoint(DeviceEndpoint)
server.register_endpoint(Revocation)


def metadata():
    return {
        'issuer': ISSUER,
        'authorization_endpoint': endpoint('/authorize'),
        'token_endpoint': endpoint('/token'),
        'revocation_endpoint': endpoint('/revoke'),
        'device_authorization_endpoint': endpoint('/device_authorization'),
        'jwks_uri': endpoint('/jwks'),
        'scopes_supported': ['openid', 'profile', 'offline_access', 'api'],
        'response_types_supported': ['code'],
        'grant_types_supported': [
            'authorization_code',
            'client_credentials',
            'password',
            'refresh_token',
            'urn:ietf:params:oauth:grant-type:device_code',
            'urn:ietf:params:oauth:grant-type:jwt-bearer',
        ],
        'token_endpoint_auth_methods_supported': AUTH_METHODS,
        'token_endpoint_auth_signing_alg_values_supported': ['ES256', 'RS256', 'PS256', 'EdDSA'],
        'revocation_endpoint_auth_methods_supported': AUTH_METHODS,
        'revocation_endpoint_auth_signing_alg_values_supported': ['ES256', 'RS256', 'PS256', 'EdDSA'],
        'code_challenge_methods_supported': ['S256', 'plain'],
        'subject_types_supported': ['public'],
        'id_token_signing_alg_values_supported': ['RS256'],
    }


def describe_client_auth():
    """How the token request authenticated its client (for the test hooks)."""
    header = request.headers.get('Authorization', '')
    if header.lower().startswith('basic '):
        return 'client_secret_basic'
    if request.form.get('client_assertion'):
        return 'private_key_jwt'
    if request.form.get('client_secret') is not None:
        return 'client_secret_post'
    return 'none'


@app.post('/token')
def issue_token():
    response = server.create_token_response()
    with LOCK:
        TOKEN_REQUESTS.append(
            {
                'grant_type': request.form.get('grant_type'),
                'client_auth': describe_client_auth(),
                'authorization': request.headers.get('Authorization'),
                'status': response.status_code,
                'error': (response.get_json(silent=True) or {}).get('error'),
            }
        )
    return response


@app.post('/revoke')
def revoke():
    return server.create_endpoint_response(Revocation.ENDPOINT_NAME)


@app.post('/device_authorization')
def device_authorization():
    return server.create_endpoint_response(DeviceEndpoint.ENDPOINT_NAME)


LOGIN_FORM = """<!doctype html><title>Sign in</title>
<form method="post" action="{action}">
<p>{message}</p>
<label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<label><input type="checkbox" name="confirm" value="yes"> Allow access</label>
{extra}<button>Continue</button></form>"""


@app.get('/authorize')
def authorize_page():
    # As Authlib's example server: check the request, then show a login and consent form.
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:  # e.g. an unknown client, a missing nonce
        return jsonify(dict(error.get_body())), 400
    message = f'{escape(grant.client.get_client_id())} asks for: {escape(grant.request.scope or "")}'
    return LOGIN_FORM.format(action=escape(request.full_path), message=message, extra='')


@app.post('/authorize')
def authorize_decision():
    user = authenticate_password(request.form.get('username', ''), request.form.get('password', ''))
    granted = user if user and request.form.get('confirm') == 'yes' else None
    return server.create_authorization_response(grant_user=granted)


@app.get('/device')
def device_page():
    user_code = escape(request.args.get('user_code', ''))
    extra = f'<input name="user_code" value="{user_code}">'
    return LOGIN_FORM.format(action='/device', message='Enter the code shown on your device', extra=extra)


@app.post('/device')
def device_decision():
    user_code = request.form.get('user_code', '')
    with LOCK:
        known = any(item['user_code'] == user_code for item in DEVICE_CODES.values())
    user = authenticate_password(request.form.get('username', ''), request.form.get('password', ''))
    if not known or not user:
        return 'unknown code or wrong password', 400
    with LOCK:
        DEVICE_GRANTS[user_code] = (user, request.form.get('confirm') == 'yes')
    return 'done: return to your device'


@app.get('/.well-known/oauth-authorization-server')
def oauth_metadata():
    with LOCK:
        METADATA_REQUESTS.append(request.path)
    return jsonify(metadata())


@app.get('/.well-known/openid-configuration')
def openid_metadata():
    with LOCK:
        METADATA_REQUESTS.append(request.path)
    return jsonify(metadata())


@app.get('/jwks')
def jwks():
    public = ID_TOKEN_KEY.as_dict(is_private=False)
    public.update(kid=ID_TOKEN_KEY_ID, use='sig', alg='RS256')
    return jsonify(keys=[public])


@app.get('/test/requests')
def test_requests():
    with LOCK:
        return jsonify(TOKEN_REQUESTS)


@app.get('/test/metadata-requests')
def test_metadata_requests():
    with LOCK:
        return jsonify(METADATA_REQUESTS)


def main():
    global ISSUER
    http = make_server('127.0.0.1', 0, app, threaded=True)
    ISSUER = f'http://127.0.0.1:{http.server_port}'
    AuthorizationServerMetadata(metadata()).validate()
    OpenIDProviderMetadata(metadata()).validate()
    # RFC 7523 §3: the client assertion's audience is the token endpoint URL.
    server.register_client_auth_method(PrivateKeyJWT.CLIENT_AUTH_METHOD, PrivateKeyJWT(endpoint('/token')))
    JWTBearer.CLAIMS_OPTIONS = {
        'iss': {'essential': True},
        'aud': {'essential': True, 'value': endpoint('/token')},
        'exp': {'essential': True},
    }
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=http.shutdown).start())
    print(f'PORT {http.server_port}', flush=True)
    http.serve_forever()


if __name__ == '__main__':
    main()
