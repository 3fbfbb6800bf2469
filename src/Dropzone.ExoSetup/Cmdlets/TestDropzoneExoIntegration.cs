using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Test-DropzoneExoIntegration: checks an existing set-up, read-only. One result per check with
    /// what to do about a failure; Exchange checks are Skipped (with the reason) without a session.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "DropzoneExoIntegration")]
    [OutputType(typeof(IntegrationCheck), typeof(bool))]
    public sealed class TestDropzoneExoIntegration : ApplicationCmdlet
    {
        /// <summary>Days before expiry from which the certificate check warns.</summary>
        internal const int ExpiryWarningDays = 30;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CertificatePath { get; set; }

        /// <summary>Return only $true (no check failed) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>How long to wait for reads to show what this session just created (replication).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 300;

        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            IExchangeGateway session = null;
            DropzoneException notConnected = null;
            try
            {
                session = ConnectedExchange();
            }
            catch (DropzoneException e) when (e.ErrorId == ErrorIds.ExchangeNotConnected)
            {
                notConnected = e;
            }
            var exchange = session == null ? null : new ExchangeLookup(session, ApplicationId);
            // Exchange's two reads (its service principals, then the named assignment) run here while
            // the Graph read is in flight.
            // Right after Install in this session, reads may not show the new service principal or
            // consent yet: read again until they do, rather than report them missing.
            var state = Run(cancel => graph.Gateway.ReadApplicationSettledAsync(ApplicationId, ApplicationParts.Consent | ApplicationParts.Organization,
                    TimeSpan.FromSeconds(TimeoutSeconds), cancel),
                exchange == null ? null : (Action)(() => exchange.ReadAhead(namedAssignment: true)));
            var checks = new List<IntegrationCheck>();
            var id = state.AppId;

            var ours = CheckCertificate(state, checks);
            CheckExpiry(ours, checks);
            CheckExpiredOnApp(state, checks);

            // The step planner decides what "in place" means, for Install and for this check alike.
            var missing = ApplicationPlanner.PlanPermission(state, skipConsent: false).Select(c => c.Kind).ToList();
            checks.Add(missing.Contains(ChangeKind.RequestPermission)
                ? Fail("PermissionRequested", $"{WellKnown.ManageAsAppRoleName} of Office 365 Exchange Online is not among the app's API permissions.", $"Grant-DropzoneExoPermission -ApplicationId {id}")
                : Pass("PermissionRequested", $"{WellKnown.ManageAsAppRoleName} (application permission) is requested."));
            checks.Add(missing.Contains(ChangeKind.GrantConsent)
                ? Fail("ConsentGranted", "Admin consent to Exchange.ManageAsApp has not been granted.", $"Grant-DropzoneExoPermission -ApplicationId {id}")
                : state.ConsentNotYetReadable
                    ? Fail("ConsentGranted", $"This session granted admin consent to the service principal {state.ServicePrincipal?.ObjectId}, but after {TimeoutSeconds} s reads still do not show it: Entra ID is still replicating, or it was removed since.",
                        $"Run Test-DropzoneExoIntegration -ApplicationId {id} again in a few minutes; if it still fails, Grant-DropzoneExoPermission -ApplicationId {id}")
                    : Pass("ConsentGranted", $"Admin consent is granted to the service principal {state.ServicePrincipal?.ObjectId}."));
            checks.Add(string.IsNullOrEmpty(state.Organization?.InitialDomain)
                ? Fail("OrganizationId", "The tenant has no verified domain marked isInitial.", "Look for the *.onmicrosoft.com domain under Entra ID > Custom domain names.")
                : Pass("OrganizationId", $"{state.Organization.InitialDomain} (the Organization ID for the Dropzone AI UI)."));

            CheckExchange(state, exchange, notConnected, checks);

            if (Quiet) WriteObject(checks.All(c => c.Status != IntegrationCheckStatus.Fail));
            else WriteObject(checks, enumerateCollection: true);
        }

        private List<CertificateDetails> CheckCertificate(ApplicationState state, List<IntegrationCheck> checks)
        {
            var install = $"Install-DropzoneCertificate -ApplicationId {state.AppId} -Path <the .crt from the Dropzone AI UI>";
            if (CertificatePath != null)
            {
                VendorCertificate expected;
                try
                {
                    expected = CertificateReader.ReadFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath), null, Now, WriteWarning);
                }
                catch (DropzoneException e)
                {
                    checks.Add(Fail("CertificatePresent", e.Message, e.RecommendedAction));
                    return new List<CertificateDetails>();
                }
                var matching = state.Certificates.Where(c => c.Thumbprint == expected.Thumbprint).ToList();
                checks.Add(matching.Count > 0
                    ? Pass("CertificatePresent", $"The certificate {expected.Thumbprint} from {CertificatePath} is on the app.")
                    : Fail("CertificatePresent", $"The certificate {expected.Thumbprint} from {CertificatePath} is not on the app.", install));
                return matching;
            }
            var ours = state.Certificates.Where(c => c.DisplayName == WellKnown.DefaultDisplayName).ToList();
            checks.Add(ours.Count > 0
                ? Pass("CertificatePresent", $"{ours.Count} certificate(s) named '{WellKnown.DefaultDisplayName}': {string.Join(", ", ours.Select(c => c.Thumbprint))}.")
                : Fail("CertificatePresent", $"No certificate named '{WellKnown.DefaultDisplayName}' is on the app.", install));
            return ours;
        }

        private static void CheckExpiry(List<CertificateDetails> ours, List<IntegrationCheck> checks)
        {
            var latest = ours.Where(c => c.NotAfter.HasValue).OrderByDescending(c => c.NotAfter).FirstOrDefault();
            if (latest == null)
            {
                checks.Add(Skipped("CertificateExpiry", "No Dropzone AI certificate to check.", null));
                return;
            }
            var days = Math.Floor((latest.NotAfter.Value - Now).TotalDays);
            var renew = "Download the new certificate from the Dropzone AI UI and run Install-DropzoneCertificate; then remove the old one with Remove-DropzoneCertificate.";
            if (days < 0)
                checks.Add(Fail("CertificateExpiry", $"The certificate {latest.Thumbprint} expired on {latest.NotAfter:yyyy-MM-dd}.", renew));
            else if (days < ExpiryWarningDays)
                checks.Add(Warn("CertificateExpiry", $"The certificate {latest.Thumbprint} expires on {latest.NotAfter:yyyy-MM-dd} ({days} days left).", renew));
            else
                checks.Add(Pass("CertificateExpiry", $"The certificate {latest.Thumbprint} is valid until {latest.NotAfter:yyyy-MM-dd} ({days} days left)."));
        }

        /// <summary>
        /// Expired certificates left on the app do no harm by themselves, but Graph may refuse any
        /// later certificate update while they are there (KeyCredentialsInvalidEndDate).
        /// </summary>
        private static void CheckExpiredOnApp(ApplicationState state, List<IntegrationCheck> checks)
        {
            var expired = ApplicationPlanner.ExpiredCertificates(state, Now);
            checks.Add(expired.Count == 0
                ? Pass("ExpiredCertificates", "No expired certificate is on the app.")
                : Warn("ExpiredCertificates", $"The app still holds {ApplicationPlanner.DescribeExpired(expired)}. Graph may refuse certificate updates while they are there.",
                    $"Install-DropzoneCertificate -ApplicationId {state.AppId} -Path <the .crt from the Dropzone AI UI> -RemoveExpiredCertificate; or one at a time: "
                    + string.Join("; ", expired.Select(c => $"Remove-DropzoneCertificate -ApplicationId {state.AppId} -Thumbprint {c.Thumbprint}"))));
        }

        private static void CheckExchange(ApplicationState state, ExchangeLookup exchange, DropzoneException notConnected, List<IntegrationCheck> checks)
        {
            if (exchange == null)
            {
                checks.Add(Skipped("ExchangeServicePrincipal", notConnected.Message, notConnected.RecommendedAction));
                checks.Add(Skipped("TransportHygiene", notConnected.Message, notConnected.RecommendedAction));
                return;
            }
            var registered = exchange.Registered;
            var register = $"New-DropzoneExoServicePrincipal -ApplicationId {state.AppId}";
            if (registered == null)
                checks.Add(Fail("ExchangeServicePrincipal", "Exchange Online has no service principal for the app.", register));
            else if (state.ServicePrincipal == null || !string.Equals(registered.ObjectId, state.ServicePrincipal.ObjectId, StringComparison.OrdinalIgnoreCase))
                checks.Add(Fail("ExchangeServicePrincipal",
                    $"Exchange knows the app as {registered.ObjectId}, but its Enterprise application is {state.ServicePrincipal?.ObjectId ?? "missing"}.",
                    $"Remove-ServicePrincipal -Identity {registered.ObjectId}; then {register}"));
            else
                checks.Add(Pass("ExchangeServicePrincipal", $"Exchange knows the app as {registered.ObjectId}, its Enterprise application."));

            if (registered == null)
            {
                checks.Add(Fail("TransportHygiene", "No role can be assigned without the Exchange service principal.", register));
                return;
            }
            var assignment = exchange.Assignment(registered);
            checks.Add(assignment != null
                ? Pass("TransportHygiene", $"'{assignment.Name}' gives it {ExchangeSteps.DefaultRole}.")
                : Fail("TransportHygiene", $"The app has no {ExchangeSteps.DefaultRole} role assignment.", $"New-DropzoneExoRoleAssignment -ApplicationId {state.AppId}"));
        }

        private static IntegrationCheck Pass(string check, string detail) =>
            new IntegrationCheck { Check = check, Status = IntegrationCheckStatus.Pass, Detail = detail };

        private static IntegrationCheck Fail(string check, string detail, string remediation) =>
            new IntegrationCheck { Check = check, Status = IntegrationCheckStatus.Fail, Detail = detail, Remediation = remediation };

        private static IntegrationCheck Warn(string check, string detail, string remediation) =>
            new IntegrationCheck { Check = check, Status = IntegrationCheckStatus.Warn, Detail = detail, Remediation = remediation };

        private static IntegrationCheck Skipped(string check, string detail, string remediation) =>
            new IntegrationCheck { Check = check, Status = IntegrationCheckStatus.Skipped, Detail = detail, Remediation = remediation };
    }
}
