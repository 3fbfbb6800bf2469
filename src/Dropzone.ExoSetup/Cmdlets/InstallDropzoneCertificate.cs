using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Steps;

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
            var outcome = CertificateStep.Install(StepHost, graph.Gateway, ApplicationId, certificate, DisplayName, RemoveExpiredCertificate, out var state);
            if (outcome == null) return;
            WriteObject(new CertificateInstallResult
            {
                ApplicationId = state.AppId,
                Thumbprint = certificate.Thumbprint,
                NotBefore = certificate.NotBefore,
                NotAfter = certificate.NotAfter,
                KeyId = outcome.KeyId.Value,
                DisplayName = outcome.DisplayName,
                Status = outcome.Added ? CertificateInstallStatus.Added : CertificateInstallStatus.AlreadyInstalled,
                RemovedExpiredCertificates = outcome.Removed.Select(c => DropzoneCertificate.From(state.AppId, c, Now)).ToArray(),
            });
        }
    }
}
