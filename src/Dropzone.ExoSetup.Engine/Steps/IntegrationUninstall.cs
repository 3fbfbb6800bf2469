using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>What Uninstall-DropzoneExoIntegration was asked to leave in place.</summary>
    public sealed class UninstallRequest
    {
        /// <summary>Leave the vendor's certificate(s) on the app.</summary>
        public bool KeepCertificate { get; set; }

        /// <summary>The certificate(s) to remove; by default those named 'Dropzone AI'.</summary>
        public IReadOnlyCollection<string> Thumbprints { get; set; }
    }

    /// <summary>
    /// Uninstall-DropzoneExoIntegration: takes out what Install added, step by step in reverse (the
    /// role assignment and the Exchange service principal, the consent, the permission entry, the
    /// vendor's certificate(s), and the service principal when the module created it); nothing else.
    /// </summary>
    public static class IntegrationUninstall
    {
        /// <summary>The steps' report; null under -WhatIf (nothing written). <paramref name="exchangeSession"/> null means -SkipExchange.</summary>
        public static IntegrationReport Run(IStepHost host, GraphGateway graph, Guid appId, IExchangeGateway exchangeSession, UninstallRequest request)
        {
            var exchange = exchangeSession == null ? null : new ExchangeLookup(exchangeSession, appId);
            // Exchange is read here, on the caller's thread, while the Graph read is in flight.
            var state = host.Run(cancel => graph.ReadApplicationAsync(appId, ApplicationParts.Consent | ApplicationParts.Organization, cancel),
                exchange == null ? null : (Action)(() => exchange.ReadAhead(assignments: true)));
            var exchangeChanges = exchange == null ? new List<PlannedChange>() : ExchangeSteps.PlanRemoval(exchange).ToList();
            var graphChanges = ApplicationPlanner.PlanUninstall(state, request.Thumbprints, request.KeepCertificate).ToList();

            var approvedExchange = host.Approve(exchangeChanges);
            var approvedGraph = host.Approve(graphChanges);
            if (host.WhatIfRequested) return null;

            if (exchange != null) ExchangeSteps.ApplyRemoval(exchange.Gateway, approvedExchange);
            host.Run(cancel => graph.ApplyAsync(state, approvedGraph, cancel));

            var steps = new StepLog(null, null, SetupStep.TransportHygiene, SetupStep.ExchangeServicePrincipal, SetupStep.Consent,
                SetupStep.ExchangePermission, SetupStep.Certificate, SetupStep.ServicePrincipal);
            Record(steps, SetupStep.TransportHygiene, ChangeKind.RemoveExchangeRoleAssignment, exchangeChanges, approvedExchange, exchange == null);
            Record(steps, SetupStep.ExchangeServicePrincipal, ChangeKind.RemoveExchangeServicePrincipal, exchangeChanges, approvedExchange, exchange == null);
            Record(steps, SetupStep.Consent, ChangeKind.RevokeConsent, graphChanges, approvedGraph, false);
            Record(steps, SetupStep.ExchangePermission, ChangeKind.RemovePermission, graphChanges, approvedGraph, false);
            Record(steps, SetupStep.Certificate, ChangeKind.RemoveCertificate, graphChanges, approvedGraph, request.KeepCertificate);
            if (state.ServicePrincipal != null && graphChanges.All(c => c.Kind != ChangeKind.DeleteServicePrincipal))
                steps.Record(SetupStep.ServicePrincipal, StepStatus.Skipped, $"Kept {state.ServicePrincipal.ObjectId}: the module did not create it, or other assignments use it.");
            else
                Record(steps, SetupStep.ServicePrincipal, ChangeKind.DeleteServicePrincipal, graphChanges, approvedGraph, false, "The app has no service principal.");
            return new IntegrationReport
            {
                OrganizationId = state.Organization?.InitialDomain,
                TenantId = state.Organization?.TenantId,
                ApplicationId = state.AppId,
                ApplicationDisplayName = state.DisplayName,
                ServicePrincipalObjectId = state.ServicePrincipal?.ObjectId,
                Steps = steps.Reports(),
                NextSteps = "Remove the MS 365/Defender integration in the Dropzone AI UI as well.",
            };
        }

        private static void Record(StepLog steps, SetupStep step, ChangeKind kind, List<PlannedChange> planned, List<PlannedChange> approved, bool skipped,
            string nothingToDo = "Nothing to remove.")
        {
            var change = planned.FirstOrDefault(c => c.Kind == kind);
            if (skipped) steps.Record(step, StepStatus.Skipped, "Skipped as asked.");
            else if (change == null) steps.Record(step, StepStatus.AlreadyDone, nothingToDo);
            else if (approved.Contains(change)) steps.Record(step, StepStatus.Done, change.Action + ".");
            else steps.Record(step, StepStatus.Skipped, "Declined.");
        }
    }
}
