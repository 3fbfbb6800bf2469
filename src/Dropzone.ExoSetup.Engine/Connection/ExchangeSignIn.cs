using System;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// The one place that decides which Exchange Online sign-in the module advises, so that every
    /// message, step Detail, summary and help text says the same thing.
    /// Outside Azure Cloud Shell an admin signs in with Connect-ExchangeOnline -UserPrincipalName,
    /// adding -Device only where no browser can open (PowerShell 7 without a desktop); -Organization
    /// is for app-only sign-in (office-docs-powershell: Connect-ExchangeOnline.md,
    /// connect-to-exchange-online-powershell.md).
    /// In Azure Cloud Shell (ACC_CLOUD set) ExchangeOnlineManagement's Cloud Shell branch offers a
    /// person neither -UserPrincipalName nor -Organization ("A parameter cannot be found that matches
    /// parameter name 'UserPrincipalName'.", Azure/CloudShell issue 478; ExchangeOnlineManagement 3.9
    /// psm1): a bare Connect-ExchangeOnline signs in with the Cloud Shell identity, plus
    /// -ExchangeEnvironmentName for a national cloud.
    /// </summary>
    public static class ExchangeSignIn
    {
        public const string Placeholder = "<admin UPN>";
        public const string Bare = "Connect-ExchangeOnline";

        /// <summary>Azure Cloud Shell, as ExchangeOnlineManagement tells it: ACC_CLOUD is set.</summary>
        public static bool InCloudShell => !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("ACC_CLOUD"));

        /// <summary>The command to run here: see <see cref="Command(string, CloudEnvironment, bool)"/>.</summary>
        public static string Command(string account = null, CloudEnvironment environment = null) =>
            Command(account, environment, InCloudShell);

        /// <summary>
        /// In Cloud Shell the bare command (with -ExchangeEnvironmentName for a national cloud: the
        /// given one, else the cloud ACC_CLOUD names); elsewhere -UserPrincipalName with the Graph
        /// account when it is a user principal name (and -ExchangeEnvironmentName for a national cloud).
        /// </summary>
        public static string Command(string account, CloudEnvironment environment, bool cloudShell)
        {
            var cloud = environment ?? (cloudShell ? CloudShell.Environment : null);
            var national = cloud != null && !ReferenceEquals(cloud, CloudEnvironment.Global)
                ? " -ExchangeEnvironmentName " + cloud.ExchangeEnvironmentName
                : string.Empty;
            if (cloudShell) return Bare + national;
            var upn = !string.IsNullOrEmpty(account) && account.Contains("@") ? account : Placeholder;
            return Bare + national + " -UserPrincipalName " + upn;
        }

        /// <summary>The command with when to add -Device (never in Cloud Shell, where it is not needed).</summary>
        public static string Hint(string account = null, CloudEnvironment environment = null) =>
            Hint(account, environment, InCloudShell);

        public static string Hint(string account, CloudEnvironment environment, bool cloudShell) =>
            cloudShell
                ? Command(account, environment, true) + " (in Azure Cloud Shell it signs you in with the Cloud Shell identity)"
                : Command(account, environment, false) + " (add -Device where no browser can open)";

        /// <summary>The cloud of a Graph connection by its name (Get-DropzoneGraphContext's Environment), or null.</summary>
        public static CloudEnvironment EnvironmentNamed(string name)
        {
            if (string.IsNullOrEmpty(name)) return null;
            try
            {
                return CloudEnvironment.FromName(name);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
