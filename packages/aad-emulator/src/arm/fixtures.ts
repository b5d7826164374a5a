/** What the mock ARM lists: one subscription with three Linux VMs, shaped like real ARM responses. */

export const DEMO_RESOURCE_GROUP = "rg-authbridge-demo";
export const DEMO_LOCATION = "westeurope";

interface VmSeed {
  name: string;
  vmId: string;
  vmSize: string;
  role: string;
  timeCreated: string;
}

const VM_SEEDS: readonly VmSeed[] = [
  { name: "vm-web-01", vmId: "5b0e4b3c-2d1a-4f6e-9c8b-7a6d5e4f3a21", vmSize: "Standard_B2s", role: "web", timeCreated: "2024-03-04T09:15:22.1234567+00:00" },
  { name: "vm-api-01", vmId: "8c1f5d4e-3b2a-4e7f-8d9c-6b5a4c3d2e12", vmSize: "Standard_D2s_v5", role: "api", timeCreated: "2024-03-04T09:18:47.7654321+00:00" },
  { name: "vm-batch-01", vmId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", vmSize: "Standard_F4s_v2", role: "batch", timeCreated: "2024-05-20T14:02:11.5551234+00:00" },
];

export function subscriptionObject(subscriptionId: string, tenantId: string): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId,
    tenantId,
    displayName: "authbridge demo",
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
  };
}

export function virtualMachines(subscriptionId: string): Record<string, unknown>[] {
  const group = `/subscriptions/${subscriptionId}/resourceGroups/${DEMO_RESOURCE_GROUP}`;
  return VM_SEEDS.map((vm) => ({
    name: vm.name,
    id: `${group}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
    type: "Microsoft.Compute/virtualMachines",
    location: DEMO_LOCATION,
    tags: { environment: "demo", role: vm.role },
    properties: {
      vmId: vm.vmId,
      hardwareProfile: { vmSize: vm.vmSize },
      storageProfile: {
        imageReference: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", version: "latest", exactVersion: "22.04.202402280" },
        osDisk: {
          osType: "Linux",
          name: `${vm.name}_OsDisk_1`,
          createOption: "FromImage",
          caching: "ReadWrite",
          managedDisk: { storageAccountType: "Premium_LRS", id: `${group}/providers/Microsoft.Compute/disks/${vm.name}_OsDisk_1` },
          deleteOption: "Delete",
          diskSizeGB: 30,
        },
        dataDisks: [],
      },
      osProfile: {
        computerName: vm.name,
        adminUsername: "azureuser",
        linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true, patchSettings: { patchMode: "ImageDefault", assessmentMode: "ImageDefault" } },
        secrets: [],
        allowExtensionOperations: true,
      },
      networkProfile: {
        networkInterfaces: [{ id: `${group}/providers/Microsoft.Network/networkInterfaces/${vm.name}-nic`, properties: { deleteOption: "Delete" } }],
      },
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
      provisioningState: "Succeeded",
      timeCreated: vm.timeCreated,
    },
  }));
}
