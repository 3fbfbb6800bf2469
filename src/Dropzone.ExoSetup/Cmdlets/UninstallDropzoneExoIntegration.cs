using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

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
        internal const string RoleStep = "TransportHygiene";
        internal const string ExchangeServicePrincipalStep = "ExchangeServicePrincipal";
        internal const string ConsentStep = "Consent";
        internal const string PermissionStep = "ExchangePermission";
        internal const string CertificateStep = "Certificate";
        internal const string ServicePrincipalStep = "ServicePrincipal";

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
            var exchange = SkipExchange ? null : new ExchangeLookup(ConnectedExchange(), ApplicationId);
            // Exchange is read here, on the pipeline thread, while the Graph read is in flight.
            var state = Run(cancel => graph.Gateway.ReadApplicationAsync(ApplicationId, ApplicationParts.Consent | ApplicationParts.Organization, cancel),
                exchange == null ? null : (Action)(() => exchange.ReadAhead(namedAssignment: true)));
            var exchangeChanges = exchange == null ? new List<PlannedChange>() : ExchangeSteps.PlanRemoval(exchange).ToList();
            var graphChanges = ApplicationPlanner.PlanUninstall(state, Thumbprint, KeepCertificate).ToList();

            var approvedExchange = Approve(exchangeChanges);
            var approvedGraph = Approve(graphChanges);
            if (WhatIfRequested) return;

            if (exchange != null) ExchangeSteps.ApplyRemoval(exchange.Gateway, approvedExchange);
            Run(cancel => graph.Gateway.ApplyAsync(state, approvedGraph, cancel));

            var steps = new IntegrationSteps(RoleStep, ExchangeServicePrincipalStep, ConsentStep, PermissionStep, CertificateStep, ServicePrincipalStep);
            Record(steps, RoleStep, ChangeKind.RemoveExchangeRoleAssignment, exchangeChanges, approvedExchange, SkipExchange);
            Record(steps, ExchangeServicePrincipalStep, ChangeKind.RemoveExchangeServicePrincipal, exchangeChanges, approvedExchange, SkipExchange);
            Record(steps, ConsentStep, ChangeKind.RevokeConsent, graphChanges, approvedGraph, false);
            Record(steps, PermissionStep, ChangeKind.RemovePermission, graphChanges, approvedGraph, false);
            Record(steps, CertificateStep, ChangeKind.RemoveCertificate, graphChanges, approvedGraph, KeepCertificate);
            if (state.ServicePrincipal != null && graphChanges.All(c => c.Kind != ChangeKind.DeleteServicePrincipal))
                steps.Record(ServicePrincipalStep, IntegrationStepStatus.Skipped, $"Kept {state.ServicePrincipal.ObjectId}: the module did not create it, or other assignments use it.");
            else
                Record(steps, ServicePrincipalStep, ChangeKind.DeleteServicePrincipal, graphChanges, approvedGraph, false, "The app has no service principal.");
            WriteObject(new IntegrationSummary
            {
                OrganizationId = state.Organization?.InitialDomain,
                TenantId = state.Organization?.TenantId,
                ApplicationId = state.AppId,
                ApplicationDisplayName = state.DisplayName,
                ServicePrincipalObjectId = state.ServicePrincipal?.ObjectId,
                Steps = steps.ToArray(),
                NextSteps = "Remove the MS 365/Defender integration in the Dropzone AI UI as well.",
            });
        }

        private static void Record(IntegrationSteps steps, string name, ChangeKind kind, List<PlannedChange> planned, List<PlannedChange> approved, bool skipped,
            string nothingToDo = "Nothing to remove.")
        {
            var change = planned.FirstOrDefault(c => c.Kind == kind);
            if (skipped) steps.Record(name, IntegrationStepStatus.Skipped, "Skipped as asked.");
            else if (change == null) steps.Record(name, IntegrationStepStatus.AlreadyDone, nothingToDo);
            else if (approved.Contains(change)) steps.Record(name, IntegrationStepStatus.Done, change.Action + ".");
            else steps.Record(name, IntegrationStepStatus.Skipped, "Declined.");
        }
    }
}
