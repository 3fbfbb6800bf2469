using System;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

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
        internal const string CertificateStep = "Certificate";
        internal const string PermissionStep = "ExchangePermission";
        internal const string OrganizationStep = "OrganizationId";
        internal const string ExchangeServicePrincipalStep = "ExchangeServicePrincipal";
        internal const string RoleStep = "TransportHygiene";
        private const string Activity = "Installing the Dropzone AI integration";

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

        protected override void ProcessRecordCore()
        {
            var steps = new IntegrationSteps(CertificateStep, PermissionStep, OrganizationStep, ExchangeServicePrincipalStep, RoleStep);
            var certificate = ReadVendorCertificate(CertificatePath, null, ExpectedThumbprint);
            var graph = RequireGraph();
            // Both sessions are checked before anything is read or written, like any other bad input.
            var exchangeSession = SkipExchange ? null : ConnectedExchange();

            Progress(steps, CertificateStep, "Reading the tenant");
            var appId = ParameterSetName == ByIdSet ? ApplicationId : Run(cancel => graph.Gateway.ResolveApplicationAsync(DisplayName, cancel));
            var plan = Run(cancel => GraphSetupPlan.CreateAsync(graph.Gateway, appId, certificate, CertificateDisplayName, false, cancel));
            var state = plan.State;
            var summary = new IntegrationSummary
            {
                OrganizationId = state.Organization?.InitialDomain,
                TenantId = state.Organization?.TenantId ?? graph.Context.TenantId,
                ApplicationId = state.AppId,
                ApplicationDisplayName = state.DisplayName,
                ServicePrincipalObjectId = state.ServicePrincipal?.ObjectId,
                CertificateThumbprint = certificate.Thumbprint,
                CertificateNotAfter = certificate.NotAfter,
            };

            var exchange = exchangeSession == null ? null : new ExchangeLookup(exchangeSession, state.AppId);
            try
            {
                InstallGraphSteps(graph, plan, steps, summary, exchange);
                InstallExchangeSteps(exchange, state, steps, summary);
            }
            catch (DropzoneException)
            {
                Finish(steps, summary);
                throw;
            }
            Finish(steps, summary);
        }

        private void InstallGraphSteps(Engine.Connection.GraphConnection graph, GraphSetupPlan plan, IntegrationSteps steps, IntegrationSummary summary, ExchangeLookup exchange)
        {
            var state = plan.State;
            var approved = ApplicationPlanner.WithoutUnmetDependencies(state, Approve(plan.Changes));
            var certificateChange = plan.Changes.FirstOrDefault(c => c.Kind == ChangeKind.AddCertificate);
            var permissionChanges = plan.Changes.Where(c => c != certificateChange).ToList();
            if (WhatIfRequested) return;

            Progress(steps, certificateChange != null ? CertificateStep : PermissionStep, "Writing to Entra ID");
            try
            {
                // Entra ID needs changes, so this is a first run: Exchange's service principals are
                // read (on this thread) while they are written, instead of after.
                var applied = Run(cancel => graph.Gateway.ApplyAsync(state, approved, cancel),
                    exchange != null && approved.Count > 0 ? () => exchange.ReadAhead(namedAssignment: false) : (Action)null);
                summary.ServicePrincipalObjectId = applied.ServicePrincipalId;
            }
            catch (DropzoneException e)
            {
                steps.Record(certificateChange != null && approved.Contains(certificateChange) ? CertificateStep : PermissionStep, IntegrationStepStatus.Failed, e.Message);
                throw;
            }

            if (certificateChange == null)
                steps.Record(CertificateStep, IntegrationStepStatus.AlreadyDone, $"Certificate {summary.CertificateThumbprint} is on the app (keyId {plan.ExistingCertificate.KeyId}).");
            else if (approved.Contains(certificateChange))
                steps.Record(CertificateStep, IntegrationStepStatus.Done, $"Added certificate {summary.CertificateThumbprint} (keyId {certificateChange.KeyId}), keeping the {state.Certificates.Count} already there.");
            else
                steps.Record(CertificateStep, IntegrationStepStatus.Skipped, "Declined.");

            if (permissionChanges.Count == 0)
                steps.Record(PermissionStep, IntegrationStepStatus.AlreadyDone, $"{WellKnown.ManageAsAppRoleName} is requested and consented.");
            else if (permissionChanges.All(approved.Contains))
                steps.Record(PermissionStep, IntegrationStepStatus.Done, string.Join("; ", permissionChanges.Select(c => c.Action)) + ".");
            else
                steps.Record(PermissionStep, IntegrationStepStatus.Skipped, "Declined: " + string.Join("; ", permissionChanges.Where(c => !approved.Contains(c)).Select(c => c.Action)) + ".");

            if (string.IsNullOrEmpty(summary.OrganizationId))
            {
                steps.Record(OrganizationStep, IntegrationStepStatus.Failed, "The tenant has no verified domain marked isInitial.");
                throw new DropzoneException(ErrorIds.OrganizationIdNotFound, ErrorKind.NotFound,
                    "The tenant has no verified domain marked isInitial, so the Organization ID is unknown.",
                    "Look for the *.onmicrosoft.com domain under Entra ID > Custom domain names.");
            }
            steps.Record(OrganizationStep, IntegrationStepStatus.AlreadyDone, $"{summary.OrganizationId}: enter it as \"Organization ID\" in the Dropzone AI UI.");
        }

        private void InstallExchangeSteps(ExchangeLookup exchange, ApplicationState state, IntegrationSteps steps, IntegrationSummary summary)
        {
            if (SkipExchange)
            {
                var how = $"Skipped (-SkipExchange). Next: Connect-ExchangeOnline -Organization {summary.OrganizationId}, then run Install-DropzoneExoIntegration again.";
                steps.Record(ExchangeServicePrincipalStep, IntegrationStepStatus.Skipped, how);
                steps.Record(RoleStep, IntegrationStepStatus.Skipped, how);
                return;
            }
            if (summary.ServicePrincipalObjectId == null)
            {
                if (!WhatIfRequested) steps.Record(ExchangeServicePrincipalStep, IntegrationStepStatus.Skipped, "The app has no service principal (its creation was declined).");
                if (!WhatIfRequested) steps.Record(RoleStep, IntegrationStepStatus.Skipped, "The app has no service principal.");
                // Under -WhatIf the service principal would be created: still show the Exchange changes.
                if (!WhatIfRequested) return;
            }

            Progress(steps, ExchangeServicePrincipalStep, "Registering the service principal in Exchange Online");
            var role = exchange.Role;
            var retry = new ReplicationRetry { Timeout = TimeSpan.FromSeconds(TimeoutSeconds) };
            var log = new DirectLog(this);
            var enterprise = new ServicePrincipalInfo(summary.ServicePrincipalObjectId ?? "(the service principal to be created)", state.AppId,
                state.ServicePrincipal?.DisplayName ?? state.DisplayName);

            ExchangeServicePrincipal registered;
            try
            {
                // A tenant the module set up holds the assignment with the module's name, which it
                // makes only after registering the service principal: one call says both steps are
                // done. (When Entra ID needed changes, the service principals were read already.)
                if (summary.ServicePrincipalObjectId != null && !exchange.HasReadServicePrincipals)
                {
                    var named = exchange.NamedAssignment(summary.ServicePrincipalObjectId);
                    if (named != null)
                    {
                        steps.Record(ExchangeServicePrincipalStep, IntegrationStepStatus.AlreadyDone, $"Exchange knows the app as {summary.ServicePrincipalObjectId} ('{named.Name}' is assigned to it).");
                        steps.Record(RoleStep, IntegrationStepStatus.AlreadyDone, $"'{named.Name}' gives it {role}.");
                        return;
                    }
                }
                registered = exchange.Registered;
                var change = ExchangeSteps.PlanServicePrincipal(registered, enterprise, enterprise.DisplayName);
                if (change == null)
                {
                    steps.Record(ExchangeServicePrincipalStep, IntegrationStepStatus.AlreadyDone, $"Exchange knows the app as {registered.ObjectId}.");
                }
                else if (Approve(new[] { change }).Count == 0)
                {
                    if (!WhatIfRequested) steps.Record(ExchangeServicePrincipalStep, IntegrationStepStatus.Skipped, "Declined.");
                    registered = new ExchangeServicePrincipal { AppId = state.AppId.ToString(), ObjectId = enterprise.ObjectId };
                    if (!WhatIfRequested)
                    {
                        steps.Record(RoleStep, IntegrationStepStatus.Skipped, "Needs the Exchange service principal.");
                        return;
                    }
                }
                else
                {
                    registered = ExchangeSteps.CreateServicePrincipal(exchange.Gateway, enterprise, enterprise.DisplayName, retry, log, StopToken);
                    exchange.RegisteredNow(registered);
                    steps.Record(ExchangeServicePrincipalStep, IntegrationStepStatus.Done, $"New-ServicePrincipal -AppId {state.AppId} -ObjectId {registered.ObjectId}.");
                }
            }
            catch (DropzoneException e)
            {
                steps.Record(ExchangeServicePrincipalStep, IntegrationStepStatus.Failed, e.Message);
                throw;
            }

            Progress(steps, RoleStep, $"Assigning the {role} role");
            try
            {
                // Nothing to look up for a service principal that only -WhatIf would register.
                var existing = WhatIfRequested && registered.Identity == null ? null : exchange.Assignment(registered);
                var change = ExchangeSteps.PlanRoleAssignment(existing, registered, role);
                if (change == null)
                    steps.Record(RoleStep, IntegrationStepStatus.AlreadyDone, $"'{existing.Name}' gives it {role}.");
                else if (Approve(new[] { change }).Count == 0)
                    steps.Record(RoleStep, IntegrationStepStatus.Skipped, "Declined.");
                else
                {
                    var created = ExchangeSteps.CreateRoleAssignment(exchange.Gateway, role, registered, retry, log, StopToken);
                    steps.Record(RoleStep, IntegrationStepStatus.Done, $"New-ManagementRoleAssignment '{created.Name}'.");
                }
            }
            catch (DropzoneException e)
            {
                steps.Record(RoleStep, IntegrationStepStatus.Failed, e.Message);
                throw;
            }
        }

        private void Progress(IntegrationSteps steps, string step, string status)
        {
            var index = steps.IndexOf(step);
            WriteProgress(new ProgressRecord(1, Activity, $"Step {index + 1} of {steps.Count}: {step}. {status}") { PercentComplete = 100 * index / steps.Count });
        }

        private void Finish(IntegrationSteps steps, IntegrationSummary summary)
        {
            WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            if (WhatIfRequested) return;
            summary.Steps = steps.ToArray();
            summary.NextSteps = summary.Complete
                ? $"In the Dropzone AI UI (Settings > Integrations > MS 365/Defender) enter Organization ID: {summary.OrganizationId}. Exchange may take 30 minutes to 2 hours to honour the new role."
                : summary.Steps.Any(s => s.Status == IntegrationStepStatus.Failed)
                    ? "Fix the failed step (see its Detail and the error), then run Install-DropzoneExoIntegration again: done steps are kept."
                    : SkipExchange
                        ? $"Connect-ExchangeOnline -Organization {summary.OrganizationId}, then run Install-DropzoneExoIntegration again to finish the Exchange steps."
                        : "Some changes were declined: run Install-DropzoneExoIntegration again and accept them.";
            WriteObject(summary);
        }
    }
}
