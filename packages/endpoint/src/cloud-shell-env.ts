import { CLOUD_SHELL_TOKEN_PATH } from "@authbridge/protocol";
import { APP_SERVICE_TOKEN_PATH } from "./http/app-service-route.js";

/**
 * The variables a Cloud Shell sets so that curl, az, the Azure SDKs and MSAL
 * find the token endpoint on `port` — plus App Service's `IDENTITY_ENDPOINT`
 * and `IDENTITY_HEADER` when that dialect is on (clients that see both
 * prefer App Service). One source for `authbridge-endpoint env` and any shell
 * the endpoint serves.
 */
export function cloudShellVariables(port: number, appServiceSecret?: string): Record<string, string> {
  return {
    MSI_ENDPOINT: `http://localhost:${port}${CLOUD_SHELL_TOKEN_PATH}`,
    ACC_CLOUD: "authbridge",
    AZUREPS_HOST_ENVIRONMENT: "cloud-shell/1.0",
    ...(appServiceSecret === undefined
      ? {}
      : { IDENTITY_ENDPOINT: `http://localhost:${port}${APP_SERVICE_TOKEN_PATH}`, IDENTITY_HEADER: appServiceSecret }),
  };
}
