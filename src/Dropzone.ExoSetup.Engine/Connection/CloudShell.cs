using System;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// What Azure Cloud Shell tells a process about itself through its environment
    /// (Azure/CloudShell; azure-docs articles/cloud-shell/msi-authorization.md): MSI_ENDPOINT, a local
    /// endpoint serving the signed-in user's token (the portal's, for an allow-list of audiences; no
    /// user-assigned identities), ACC_TID the tenant and ACC_CLOUD the Azure cloud.
    /// </summary>
    public static class CloudShell
    {
        /// <summary>
        /// MSI_ENDPOINT without MSI_SECRET or IDENTITY_ENDPOINT: the order in which MSAL's managed
        /// identity picks its source (ManagedIdentityClient; CloudShellManagedIdentitySource).
        /// </summary>
        public static bool IsPresent =>
            !string.IsNullOrEmpty(Variable("MSI_ENDPOINT"))
            && string.IsNullOrEmpty(Variable("MSI_SECRET"))
            && string.IsNullOrEmpty(Variable("IDENTITY_ENDPOINT"));

        public static string TenantId => Variable("ACC_TID");

        /// <summary>
        /// The cloud ACC_CLOUD names, or null. It holds an Azure environment name as Az knows them
        /// (AzureCloud in the field; AzureUSGovernment and AzureChinaCloud are Az's names for the
        /// others, their use in ACC_CLOUD is UNCONFIRMED, so the module's own names are taken too).
        /// </summary>
        public static CloudEnvironment Environment
        {
            get
            {
                var name = Variable("ACC_CLOUD");
                if (string.IsNullOrEmpty(name)) return null;
                switch (name.Trim().ToLowerInvariant())
                {
                    case "azurecloud": return CloudEnvironment.Global;
                    case "azureusgovernment": return CloudEnvironment.USGov;
                    case "azurechinacloud": return CloudEnvironment.China;
                }
                foreach (var known in CloudEnvironment.All)
                    if (string.Equals(known.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) return known;
                return null;
            }
        }

        /// <summary>In Cloud Shell, ACC_TID and ACC_CLOUD give what the caller did not: -TenantId and -Environment.</summary>
        public static void ApplyDefaults(SignInRequest request, bool environmentGiven)
        {
            if (!IsPresent && string.IsNullOrEmpty(Variable("ACC_CLOUD"))) return;
            if (string.IsNullOrEmpty(request.TenantId) && (request.Method == SignInMethod.Default || request.Method == SignInMethod.DeviceCode))
                request.TenantId = string.IsNullOrEmpty(TenantId) ? null : TenantId;
            if (!environmentGiven && Environment != null) request.Environment = Environment;
        }

        private static string Variable(string name) => System.Environment.GetEnvironmentVariable(name);
    }
}
