"""Python azure-identity ManagedIdentityCredential in a Cloud Shell-like process (MSI_ENDPOINT set).

Usage: /usr/bin/python3 python_azure_identity.py <scope>
Prints one JSON line; never the token.
"""
import base64
import json
import os
import sys

import azure.identity
import requests
from azure.identity import ManagedIdentityCredential


def claims_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def main():
    scope = sys.argv[1]
    try:
        credential = ManagedIdentityCredential()
        first = credential.get_token(scope)
        second = credential.get_token(scope)
        claims = claims_of(first.token)
        url = "{}subscriptions/{}/providers/Microsoft.Compute/virtualMachines?api-version=2021-07-01".format(
            os.environ["ARM_URL"], os.environ["SUBSCRIPTION_ID"])
        # requests trusts the emulator's certificate through REQUESTS_CA_BUNDLE.
        response = requests.get(url, headers={"Authorization": "Bearer " + first.token}, timeout=30)
        body = response.json()
        print(json.dumps({
            "version": azure.identity.__version__,
            "aud": claims["aud"],
            "exp": claims["exp"],
            "tid": claims["tid"],
            "expiresOn": first.expires_on,
            "sameTokenTwice": first.token == second.token,
            "arm": {"status": response.status_code, "vms": [vm["name"] for vm in body.get("value", [])]},
        }))
    except Exception as error:  # report, never crash silently
        print(json.dumps({"error": {"name": type(error).__name__, "message": str(error)[:2000]}}))
        sys.exit(1)


main()
