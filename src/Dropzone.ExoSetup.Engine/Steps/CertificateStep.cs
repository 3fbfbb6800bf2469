using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>What the certificate step did: the vendor's certificate as the app holds it.</summary>
    public sealed class CertificateOutcome
    {
        /// <summary>Done (added, or expired ones removed), AlreadyDone, or Skipped (declined).</summary>
        public StepStatus Status { get; internal set; }

        /// <summary>True when this run added the certificate.</summary>
        public bool Added { get; internal set; }

        /// <summary>The certificate's keyId on the app (as read back after the write); null when declined.</summary>
        public Guid? KeyId { get; internal set; }

        /// <summary>The name it has on the app.</summary>
        public string DisplayName { get; internal set; }

        /// <summary>The expired certificates removed in the same write (-RemoveExpiredCertificate).</summary>
        public IReadOnlyList<CertificateDetails> Removed { get; internal set; } = new List<CertificateDetails>();

        /// <summary>For Install's summary.</summary>
        public string Detail { get; internal set; }
    }

    /// <summary>
    /// Step 1, the vendor's certificate on the app registration: the one routine behind
    /// Install-DropzoneCertificate, Install-, Test- and (through the planner) Uninstall-DropzoneExoIntegration.
    /// </summary>
    public static class CertificateStep
    {
        /// <summary>
        /// Install-DropzoneCertificate: read the app, plan, approve, write. Null when nothing was
        /// written because the change was declined (or -WhatIf).
        /// </summary>
        public static CertificateOutcome Install(IStepHost host, GraphGateway gateway, Guid appId, VendorCertificate certificate, string displayName,
            bool removeExpired, out ApplicationState state)
        {
            var plan = host.Run(cancel => GraphSetupPlan.CreateAsync(gateway, appId, ApplicationParts.Application, certificate, displayName, removeExpired,
                permission: false, skipConsent: true, cancel));
            state = plan.State;
            if (plan.CertificateChange == null)
            {
                host.Log.Verbose($"The certificate {certificate.Thumbprint} is already on {plan.State.DisplayName}: nothing to write.");
                var expired = ApplicationPlanner.ExpiredCertificates(plan.State, DateTimeOffset.UtcNow);
                if (expired.Count > 0 && !removeExpired)
                    host.Log.Verbose($"The app still holds {ApplicationPlanner.DescribeExpired(expired)}; -RemoveExpiredCertificate removes them.");
            }
            var written = EntraSteps.ApproveAndWrite(host, gateway, plan, null);
            return written == null ? null : Outcome(written, certificate, displayName);
        }

        /// <summary>What became of the certificate in a write of the Entra ID steps (alone, or with the others in Install).</summary>
        public static CertificateOutcome Outcome(EntraWrite write, VendorCertificate certificate, string displayName)
        {
            var plan = write.Plan;
            var change = plan.CertificateChange;
            var thumbprint = certificate.Thumbprint;
            if (change == null)
                return OnApp(plan.ExistingCertificate, StepStatus.AlreadyDone, $"Certificate {thumbprint} is on the app (keyId {plan.ExistingCertificate.KeyId}).");
            if (!write.Approved.Contains(change))
                return new CertificateOutcome { Status = StepStatus.Skipped, Detail = "Declined." };
            var removed = change.RemovedCertificates.Count == 0 ? string.Empty : $" Removed {ApplicationPlanner.DescribeExpired(change.RemovedCertificates)}.";
            if (change.Kind != ChangeKind.AddCertificate)
            {
                var kept = OnApp(plan.ExistingCertificate, StepStatus.Done, $"Certificate {thumbprint} is on the app (keyId {plan.ExistingCertificate.KeyId}).{removed}");
                kept.Removed = change.RemovedCertificates;
                return kept;
            }
            // The certificate as the app holds it after the write was checked: another run may have
            // added the same certificate under its own keyId.
            var keyId = write.Applied.VerifiedApplication?.Certificates.FirstOrDefault(c => c.Thumbprint == thumbprint)?.KeyId ?? change.KeyId.Value;
            var already = plan.State.Certificates.Count - change.RemovedCertificates.Count;
            return new CertificateOutcome
            {
                Status = StepStatus.Done,
                Added = true,
                KeyId = keyId,
                DisplayName = displayName,
                Removed = change.RemovedCertificates,
                Detail = $"Added certificate {thumbprint} (keyId {keyId}), keeping the {already} already there.{removed}",
            };
        }

        private static CertificateOutcome OnApp(CertificateDetails existing, StepStatus status, string detail) =>
            new CertificateOutcome { Status = status, KeyId = existing.KeyId, DisplayName = existing.DisplayName, Detail = detail };

        /// <summary>
        /// An older vendor certificate stays on the app (no outage while the vendor switches); this
        /// is the command that removes it once the vendor confirms it uses the new one.
        /// </summary>
        internal static string Rotation(GraphSetupPlan plan, string certificateName, string thumbprint, Guid appId)
        {
            var removed = new HashSet<Guid>(plan.Changes.SelectMany(c => c.RemovedCertificates).Select(c => c.KeyId));
            var previous = plan.State.Certificates
                .Where(c => string.Equals(c.DisplayName, certificateName, StringComparison.Ordinal) && c.Thumbprint != thumbprint && !removed.Contains(c.KeyId))
                .ToList();
            if (previous.Count == 0) return string.Empty;
            return $" The previous '{certificateName}' certificate(s) stay on the app so nothing breaks while Dropzone AI switches; once it confirms it uses {thumbprint}, remove them: "
                + string.Join("; ", previous.Select(c => $"Remove-DropzoneCertificate -ApplicationId {appId} -Thumbprint {c.Thumbprint}")) + ".";
        }

        /// <summary>Days before expiry from which the expiry check warns.</summary>
        public const int ExpiryWarningDays = 30;

        /// <summary>
        /// Test-DropzoneExoIntegration's certificate checks: present (the one in
        /// <paramref name="certificateFile"/>, shown as <paramref name="certificatePathAsGiven"/>, or any
        /// named 'Dropzone AI'), its expiry, and expired certificates left on the app.
        /// </summary>
        public static IEnumerable<CheckResult> Check(ApplicationState state, string certificateFile, string certificatePathAsGiven, DateTimeOffset now,
            Action<string> warn)
        {
            var checks = new List<CheckResult>();
            var ours = CheckPresent(state, certificateFile, certificatePathAsGiven, now, warn, checks);
            checks.Add(CheckExpiry(ours, now));
            checks.Add(CheckExpiredOnApp(state, now));
            return checks;
        }

        private static List<CertificateDetails> CheckPresent(ApplicationState state, string certificateFile, string certificatePathAsGiven, DateTimeOffset now,
            Action<string> warn, List<CheckResult> checks)
        {
            var install = $"Install-DropzoneCertificate -ApplicationId {state.AppId} -Path <the .crt from the Dropzone AI UI>";
            if (certificateFile != null)
            {
                VendorCertificate expected;
                try
                {
                    expected = CertificateReader.ReadFile(certificateFile, null, now, warn);
                }
                catch (DropzoneException e)
                {
                    checks.Add(CheckResult.Fail(SetupCheck.CertificatePresent, e.Message, e.RecommendedAction));
                    return new List<CertificateDetails>();
                }
                var matching = state.Certificates.Where(c => c.Thumbprint == expected.Thumbprint).ToList();
                checks.Add(matching.Count > 0
                    ? CheckResult.Pass(SetupCheck.CertificatePresent, $"The certificate {expected.Thumbprint} from {certificatePathAsGiven} is on the app.")
                    : CheckResult.Fail(SetupCheck.CertificatePresent, $"The certificate {expected.Thumbprint} from {certificatePathAsGiven} is not on the app.", install));
                return matching;
            }
            var ours = state.Certificates.Where(c => c.DisplayName == WellKnown.DefaultDisplayName).ToList();
            checks.Add(ours.Count > 0
                ? CheckResult.Pass(SetupCheck.CertificatePresent, $"{ours.Count} certificate(s) named '{WellKnown.DefaultDisplayName}': {string.Join(", ", ours.Select(c => c.Thumbprint))}.")
                : CheckResult.Fail(SetupCheck.CertificatePresent, $"No certificate named '{WellKnown.DefaultDisplayName}' is on the app.", install));
            return ours;
        }

        private static CheckResult CheckExpiry(List<CertificateDetails> ours, DateTimeOffset now)
        {
            var latest = ours.Where(c => c.NotAfter.HasValue).OrderByDescending(c => c.NotAfter).FirstOrDefault();
            if (latest == null) return CheckResult.Skipped(SetupCheck.CertificateExpiry, "No Dropzone AI certificate to check.", null);
            var days = Math.Floor((latest.NotAfter.Value - now).TotalDays);
            var renew = "Download the new certificate from the Dropzone AI UI and run Install-DropzoneCertificate; then remove the old one with Remove-DropzoneCertificate.";
            if (days < 0)
                return CheckResult.Fail(SetupCheck.CertificateExpiry, $"The certificate {latest.Thumbprint} expired on {latest.NotAfter:yyyy-MM-dd}.", renew);
            if (days < ExpiryWarningDays)
                return CheckResult.Warn(SetupCheck.CertificateExpiry, $"The certificate {latest.Thumbprint} expires on {latest.NotAfter:yyyy-MM-dd} ({days} days left).", renew);
            return CheckResult.Pass(SetupCheck.CertificateExpiry, $"The certificate {latest.Thumbprint} is valid until {latest.NotAfter:yyyy-MM-dd} ({days} days left).");
        }

        /// <summary>
        /// Expired certificates left on the app do no harm by themselves, but Graph may refuse any
        /// later certificate update while they are there (KeyCredentialsInvalidEndDate).
        /// </summary>
        private static CheckResult CheckExpiredOnApp(ApplicationState state, DateTimeOffset now)
        {
            var expired = ApplicationPlanner.ExpiredCertificates(state, now);
            return expired.Count == 0
                ? CheckResult.Pass(SetupCheck.ExpiredCertificates, "No expired certificate is on the app.")
                : CheckResult.Warn(SetupCheck.ExpiredCertificates, $"The app still holds {ApplicationPlanner.DescribeExpired(expired)}. Graph may refuse certificate updates while they are there.",
                    $"Install-DropzoneCertificate -ApplicationId {state.AppId} -Path <the .crt from the Dropzone AI UI> -RemoveExpiredCertificate; or one at a time: "
                    + string.Join("; ", expired.Select(c => $"Remove-DropzoneCertificate -ApplicationId {state.AppId} -Thumbprint {c.Thumbprint}")));
        }
    }
}
