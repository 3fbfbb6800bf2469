namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// How an admin connects to Exchange Online for the Exchange steps, said the same way in every
    /// message: Connect-ExchangeOnline -UserPrincipalName, with -Device where no browser can open
    /// (PowerShell 7 without a desktop, Azure Cloud Shell). -Organization is for app-only sign-in
    /// only (office-docs-powershell: Connect-ExchangeOnline.md, connect-to-exchange-online-powershell.md).
    /// </summary>
    public static class ExchangeSignIn
    {
        public const string Placeholder = "<admin UPN>";

        /// <summary>The command to run, with the Graph account when it is a user principal name.</summary>
        public static string Command(string account = null) =>
            "Connect-ExchangeOnline -UserPrincipalName " + (!string.IsNullOrEmpty(account) && account.Contains("@") ? account : Placeholder);

        /// <summary>The command and when to add -Device.</summary>
        public static string Hint(string account = null) =>
            Command(account) + " (add -Device where no browser opens, as in Azure Cloud Shell)";
    }
}
