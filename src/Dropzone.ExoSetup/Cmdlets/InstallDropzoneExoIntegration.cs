using System;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Install-DropzoneExoIntegration: every step of the vendor's procedure in one command
    /// (certificate, Exchange.ManageAsApp with consent, Organization ID, Exchange service principal,
    /// Transport Hygiene), through the same engine as the step cmdlets. Re-runnable: done steps
    /// report AlreadyDone and write nothing.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Install, "DropzoneExoIntegration", SupportsShouldProcess = true, DefaultParameterSetName = ByNameSet)]
    [OutputType(typeof(IntegrationSummary))]
    public sealed class InstallDropzoneExoIntegration : DropzoneCmdlet
    {
        private const string ByNameSet = "ByDisplayName";
        private const string ByIdSet = "ByApplicationId";

        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("AppId", "ClientId")]
        public Guid ApplicationId { get; set; }

        [Parameter(ParameterSetName = ByNameSet)]
        [ValidateNotNullOrEmpty]
        public string DisplayName { get; set; } = WellKnown.DefaultDisplayName;

        [Parameter(Mandatory = true)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string CertificatePath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ExpectedThumbprint { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CertificateDisplayName { get; set; } = WellKnown.DefaultDisplayName;

        /// <summary>Do the Entra ID steps only (no Exchange Online session yet).</summary>
        [Parameter]
        public SwitchParameter SkipExchange { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 300;

        /// <summary>Remove the app's expired certificates in the same write as the vendor's certificate.</summary>
        [Parameter]
        public SwitchParameter RemoveExpiredCertificate { get; set; }

        protected override void ProcessRecordCore()
        {
            var certificate = ReadVendorCertificate(CertificatePath, null, ExpectedThumbprint);
            var graph = RequireGraph();
            // Both sessions are checked before anything is read or written, like any other bad input.
            var exchange = SkipExchange ? null : ConnectedExchange();
            var report = IntegrationInstall.Run(StepHost, graph.Gateway, exchange, new InstallRequest
            {
                ApplicationId = ParameterSetName == ByIdSet ? ApplicationId : (Guid?)null,
                DisplayName = DisplayName,
                Certificate = certificate,
                CertificateDisplayName = CertificateDisplayName,
                RemoveExpiredCertificate = RemoveExpiredCertificate,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                TenantId = graph.Context.TenantId,
                Account = graph.Context.Account,
            });
            if (!WhatIfRequested) WriteObject(new IntegrationSummary(report));
            if (report.Failure != null) ExceptionDispatchInfo.Capture(report.Failure).Throw();
        }
    }
}
