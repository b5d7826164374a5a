"""MSAL Python ManagedIdentityClient in Cloud Shell mode (AZUREPS_HOST_ENVIRONMENT=cloud-shell/1.0).

MSAL Python then talks to the fixed URL http://localhost:50342/oauth2/token.
Usage: /usr/bin/python3 msal_python.py <resource>
Prints one JSON line; never the token.
"""
import base64
import json
import sys

import msal
import requests


def claims_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def main():
    resource = sys.argv[1]
    try:
        client = msal.ManagedIdentityClient(msal.SystemAssignedManagedIdentity(), http_client=requests.Session())
        result = client.acquire_token_for_client(resource=resource)
        if "access_token" not in result:
            print(json.dumps({"error": {"name": result.get("error"), "message": str(result.get("error_description"))[:2000]}}))
            sys.exit(1)
        claims = claims_of(result["access_token"])
        print(json.dumps({
            "version": msal.__version__,
            "aud": claims["aud"],
            "exp": claims["exp"],
            "expiresIn": result.get("expires_in"),
            "tokenType": result.get("token_type"),
        }))
    except Exception as error:  # report, never crash silently
        print(json.dumps({"error": {"name": type(error).__name__, "message": str(error)[:2000]}}))
        sys.exit(1)


main()
