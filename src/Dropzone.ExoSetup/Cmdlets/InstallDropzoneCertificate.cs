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

        protected override void ProcessRecordCore()
        {
            var certificate = ReadVendorCertificate(ParameterSetName == PathSet ? Path : null, Certificate, ExpectedThumbprint);

            var graph = RequireGraph();
            var state = Run(cancel => graph.Gateway.ReadApplicationAsync(ApplicationId, ApplicationParts.Application, cancel));
            var change = ApplicationPlanner.PlanAddCertificate(state, certificate, DisplayName, out var existing);
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
                result.KeyId = existing.KeyId;
                result.DisplayName = existing.DisplayName;
                result.Status = CertificateInstallStatus.AlreadyInstalled;
                WriteObject(result);
                return;
            }
            if (Approve(new[] { change }).Count == 0) return;
            var applied = Run(cancel => graph.Gateway.ApplyAsync(state, new[] { change }, cancel));
            // The certificate as the app holds it after the write was checked: another run may have
            // added the same certificate under its own keyId.
            result.KeyId = applied.VerifiedApplication?.Certificates.FirstOrDefault(c => c.Thumbprint == certificate.Thumbprint)?.KeyId ?? change.KeyId.Value;
            result.DisplayName = DisplayName;
            result.Status = CertificateInstallStatus.Added;
            WriteObject(result);
        }
    }
}
