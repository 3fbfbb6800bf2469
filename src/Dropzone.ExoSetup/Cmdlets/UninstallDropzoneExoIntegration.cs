using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Uninstall-DropzoneExoIntegration: takes the integration out when the vendor is off-boarded:
    /// the Transport Hygiene assignment and the Exchange service principal, the consent, the
    /// Exchange.ManageAsApp entry and the vendor's certificate(s), and the service principal when the
    /// module created it. Nothing else is touched.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Uninstall, "DropzoneExoIntegration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(IntegrationSummary))]
    public sealed class UninstallDropzoneExoIntegration : ApplicationCmdlet
    {
        /// <summary>Leave the vendor's certificate(s) on the app.</summary>
        [Parameter]
        public SwitchParameter KeepCertificate { get; set; }

        /// <summary>The certificate(s) to remove; by default those named 'Dropzone AI'.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Thumbprint { get; set; }

        /// <summary>Leave Exchange Online as it is (no Exchange session).</summary>
        [Parameter]
        public SwitchParameter SkipExchange { get; set; }

        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            // Check the Exchange session first: a removal that stopped half-way would leave Exchange
            // pointing at a service principal whose consent is gone.
            var exchange = SkipExchange ? null : ConnectedExchange();
            var report = IntegrationUninstall.Run(StepHost, graph.Gateway, ApplicationId, exchange,
                new UninstallRequest { KeepCertificate = KeepCertificate, Thumbprints = Thumbprint });
            if (report != null) WriteObject(new IntegrationSummary(report));
        }
    }
}
