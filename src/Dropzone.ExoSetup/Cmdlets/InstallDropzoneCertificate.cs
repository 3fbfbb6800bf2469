using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Install-DropzoneCertificate: adds the vendor's public certificate to the app registration,
    /// keeping every certificate already there exactly as it was. The certificate is checked before
    /// anything is read or written.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Install, "DropzoneCertificate", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CertificateInstallResult))]
    public sealed class InstallDropzoneCertificate : ApplicationCmdlet
    {
        private const string PathSet = "Path";
        private const string CertificateSet = "Certificate";

        [Parameter(Mandatory = true, ParameterSetName = PathSet, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "CertificatePath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [ValidateNotNull]
        public X509Certificate2 Certificate { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string DisplayName { get; set; } = WellKnown.DefaultDisplayName;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ExpectedThumbprint { get; set; }

        /// <summary>Remove the app's expired certificates in the same write (Graph may refuse an update that keeps one).</summary>
        [Parameter]
        public SwitchParameter RemoveExpiredCertificate { get; set; }

        protected override void ProcessRecordCore()
        {
            var certificate = ReadVendorCertificate(ParameterSetName == PathSet ? Path : null, Certificate, ExpectedThumbprint);

            var graph = RequireGraph();
            var now = Now;
            var state = Run(cancel => graph.Gateway.ReadApplicationAsync(ApplicationId, ApplicationParts.Application, cancel));
            var change = ApplicationPlanner.PlanAddCertificate(state, certificate, DisplayName, RemoveExpiredCertificate, now, out var existing);
            var result = new CertificateInstallResult
            {
                ApplicationId = state.AppId,
                Thumbprint = certificate.Thumbprint,
                NotBefore = certificate.NotBefore,
                NotAfter = certificate.NotAfter,
            };
            if (change == null)
            {
                WriteVerbose($"The certificate {certificate.Thumbprint} is already on {state.DisplayName}: nothing to write.");
                WriteExpiredKept(state, now);
                WriteObject(AlreadyInstalled(result, existing));
                return;
            }
            if (Approve(new[] { change }).Count == 0) return;
            var applied = Run(cancel => graph.Gateway.ApplyAsync(state, new[] { change }, cancel));
            result.RemovedExpiredCertificates = change.RemovedCertificates.Select(c => DropzoneCertificate.From(state.AppId, c, now)).ToArray();
            if (change.Kind != ChangeKind.AddCertificate)
            {
                WriteObject(AlreadyInstalled(result, existing));
                return;
            }
            // The certificate as the app holds it after the write was checked: another run may have
            // added the same certificate under its own keyId.
            result.KeyId = applied.VerifiedApplication?.Certificates.FirstOrDefault(c => c.Thumbprint == certificate.Thumbprint)?.KeyId ?? change.KeyId.Value;
            result.DisplayName = DisplayName;
            result.Status = CertificateInstallStatus.Added;
            WriteObject(result);
        }

        private static CertificateInstallResult AlreadyInstalled(CertificateInstallResult result, CertificateDetails existing)
        {
            result.KeyId = existing.KeyId;
            result.DisplayName = existing.DisplayName;
            result.Status = CertificateInstallStatus.AlreadyInstalled;
            return result;
        }

        private void WriteExpiredKept(ApplicationState state, System.DateTimeOffset now)
        {
            var expired = ApplicationPlanner.ExpiredCertificates(state, now);
            if (expired.Count > 0 && !RemoveExpiredCertificate)
                WriteVerbose($"The app still holds {ApplicationPlanner.DescribeExpired(expired)}; -RemoveExpiredCertificate removes them.");
        }
    }
}
