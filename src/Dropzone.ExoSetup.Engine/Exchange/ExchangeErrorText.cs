using System;
using System.Text.RegularExpressions;

namespace Dropzone.ExoSetup.Engine.Exchange
{
    /// <summary>
    /// The one place that tells Exchange Online failures apart by their message. Wordings and
    /// FullyQualifiedErrorIds vary between ExchangeOnlineManagement versions, so each test looks for
    /// a distinctive fragment, never a whole message or an error id.
    /// </summary>
    public static class ExchangeErrorText
    {
        // A dehydrated tenant (its Exchange organisation never customised): "The command you tried to
        // run isn't currently allowed in your organization. To run this command, you first need to run
        // the command: Enable-OrganizationCustomization." (Azure/SimuLand issue 17, a capture from
        // Set-AdminAuditLogConfig; FailureCategory=Cmdlet-InvalidOperationInDehydratedContextException).
        // That role-assignment changes answer the same way is in the reference, exact wording UNCONFIRMED:
        // the cmdlet name is the fragment every capture has.
        private const string Customization = "Enable-OrganizationCustomization";

        // An expired session (ExchangeOnlineManagement 3.x): "Token has expired" or "... please run
        // Connect-ExchangeOnline again" (its issue threads; UNCONFIRMED as complete). Also "The token
        // expired" / "token is expired", the same fact in other words.
        private static readonly Regex Expired = new Regex(
            @"\btoken\s+(has\s+|is\s+)?expired\b|\bthe\s+token\s+expired\b|\bConnect-ExchangeOnline\s+again\b|\bsession\s+(has\s+)?expired\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // A duplicate New-ServicePrincipal: a message containing "already exist" (CIPP-API matches on
        // that fragment), as in "... already exists" or "... already exist in ...".
        private const string AlreadyExistsFragment = "already exist";

        /// <summary>The tenant's Exchange organisation must be customised first (Enable-OrganizationCustomization).</summary>
        public static bool IsOrganizationNotCustomized(string message) =>
            Contains(message, Customization);

        /// <summary>The Exchange session's token lapsed: connect again.</summary>
        public static bool IsSessionExpired(string message) =>
            !string.IsNullOrEmpty(message) && Expired.IsMatch(message);

        /// <summary>"already exist(s)": what New-ServicePrincipal answers for a service principal Exchange has.</summary>
        public static bool IsAlreadyExists(string message) =>
            Contains(message, AlreadyExistsFragment);

        private static bool Contains(string message, string fragment) =>
            !string.IsNullOrEmpty(message) && message.IndexOf(fragment, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
