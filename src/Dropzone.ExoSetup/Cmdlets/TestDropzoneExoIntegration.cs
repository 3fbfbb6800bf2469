using System;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Steps;

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
            IExchangeGateway exchange = null;
            DropzoneException notConnected = null;
            try
            {
                exchange = ConnectedExchange();
            }
            catch (DropzoneException e) when (e.ErrorId == ErrorIds.ExchangeNotConnected)
            {
                notConnected = e;
            }
            var certificateFile = CertificatePath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath);
            var checks = IntegrationTest.Run(StepHost, graph.Gateway, ApplicationId, exchange, notConnected, certificateFile, CertificatePath,
                TimeSpan.FromSeconds(TimeoutSeconds));
            if (Quiet) WriteObject(IntegrationTest.Passed(checks));
            else WriteObject(checks.Select(IntegrationCheck.From), enumerateCollection: true);
        }
    }
}
