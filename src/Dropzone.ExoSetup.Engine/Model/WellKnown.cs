using System;

namespace Dropzone.ExoSetup.Engine.Model
{
    /// <summary>
    /// Identifiers the procedure depends on. Source: office-docs-powershell,
    /// exchange/docs-conceptual/app-only-auth-powershell-v2.md.
    /// </summary>
    public static class WellKnown
    {
        /// <summary>The appId of "Office 365 Exchange Online", the resource that defines Exchange.ManageAsApp.</summary>
        public static readonly Guid ExchangeOnlineAppId = new Guid("00000002-0000-0ff1-ce00-000000000000");

        /// <summary>The app role Exchange.ManageAsApp of Office 365 Exchange Online.</summary>
        public static readonly Guid ManageAsAppRoleId = new Guid("dc50a0fb-09a3-484d-be87-e023b12c6440");

        public const string ManageAsAppRoleName = "Exchange.ManageAsApp";

        /// <summary>The app registration's name and the certificate's description in the vendor's procedure.</summary>
        public const string DefaultDisplayName = "Dropzone AI";

        /// <summary>
        /// The tag the module puts on a service principal it creates, so that Uninstall removes only
        /// what the module made (an Enterprise application may carry an admin's own settings).
        /// </summary>
        public const string CreatedByTag = "CreatedBy:Dropzone.ExoSetup";

        /// <summary>
        /// The tag without which the portal hides a service principal from the Enterprise
        /// applications list (Graph docs: resources/serviceprincipal.md, "tags").
        /// </summary>
        public const string IntegratedAppTag = "WindowsAzureActiveDirectoryIntegratedApp";
    }
}
