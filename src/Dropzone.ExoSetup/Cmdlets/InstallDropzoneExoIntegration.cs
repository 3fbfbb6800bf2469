using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Graph;
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

        /// <summary>Remove the app's expired certificates in the same write as the vendor's certificate.</summary>
        [Parameter]
        public SwitchParameter RemoveExpiredCertificate { get; set; }

        protected override void ProcessRecordCore()
        {
            var steps = new IntegrationSteps(CertificateStep, PermissionStep, OrganizationStep, ExchangeServicePrincipalStep, RoleStep);
            var certificate = ReadVendorCertificate(CertificatePath, null, ExpectedThumbprint);
            var graph = RequireGraph();
            // Both sessions are checked before anything is read or written, like any other bad input.
            var exchangeSession = SkipExchange ? null : ConnectedExchange();

            Progress(steps, CertificateStep, "Reading the tenant");
            var appId = ParameterSetName == ByIdSet ? ApplicationId : Run(cancel => graph.Gateway.ResolveApplicationAsync(DisplayName, cancel));
            var plan = Run(cancel => GraphSetupPlan.CreateAsync(graph.Gateway, appId, certificate, CertificateDisplayName, false, RemoveExpiredCertificate, cancel));
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
                Finish(steps, summary, plan);
                throw;
            }
            Finish(steps, summary, plan);
        }

        private void InstallGraphSteps(Engine.Connection.GraphConnection graph, GraphSetupPlan plan, IntegrationSteps steps, IntegrationSummary summary, ExchangeLookup exchange)
        {
            var state = plan.State;
            var approved = ApplicationPlanner.WithoutUnmetDependencies(state, Approve(plan.Changes));
            var certificateChange = plan.Changes.FirstOrDefault(c => c.Kind == ChangeKind.AddCertificate || c.Kind == ChangeKind.RemoveCertificate);
            var permissionChanges = plan.Changes.Where(c => c != certificateChange).ToList();
            if (WhatIfRequested) return;

            Progress(steps, certificateChange != null ? CertificateStep : PermissionStep, "Writing to Entra ID");
            ApplyResult applied;
            Guid? addedKeyId = null;
            try
            {
                // Entra ID needs changes, so this is a first run: Exchange's service principals are
                // read (on this thread) while they are written, instead of after.
                applied = Run(cancel => graph.Gateway.ApplyAsync(state, approved, TimeSpan.FromSeconds(TimeoutSeconds), cancel),
                    exchange != null && approved.Count > 0 ? () => exchange.ReadAhead(namedAssignment: false) : (Action)null);
                summary.ServicePrincipalObjectId = applied.ServicePrincipalId;
                addedKeyId = applied.VerifiedApplication?.Certificates.FirstOrDefault(c => c.Thumbprint == summary.CertificateThumbprint)?.KeyId;
            }
            catch (DropzoneException e)
            {
                steps.Record(certificateChange != null && approved.Contains(certificateChange) ? CertificateStep : PermissionStep, IntegrationStepStatus.Failed, e.Message);
                throw;
            }

            RecordCertificateStep(steps, summary, plan, certificateChange, approved, addedKeyId);
            RecordPermissionStep(steps, permissionChanges, approved, applied);

            if (string.IsNullOrEmpty(summary.OrganizationId))
            {
                steps.Record(OrganizationStep, IntegrationStepStatus.Failed, "The tenant has no verified domain marked isInitial.");
                throw DropzoneErrors.OrganizationIdNotFound(summary.TenantId);
            }
            steps.Record(OrganizationStep, IntegrationStepStatus.AlreadyDone, $"{summary.OrganizationId}: enter it as \"Organization ID\" in the Dropzone AI UI.");
        }

        private static void RecordCertificateStep(IntegrationSteps steps, IntegrationSummary summary, GraphSetupPlan plan, PlannedChange change, List<PlannedChange> approved, Guid? addedKeyId)
        {
            var removed = change == null || change.RemovedCertificates.Count == 0 ? string.Empty : $" Removed {ApplicationPlanner.DescribeExpired(change.RemovedCertificates)}.";
            var kept = plan.State.Certificates.Count - (change?.RemovedCertificates.Count ?? 0);
            if (change == null)
                steps.Record(CertificateStep, IntegrationStepStatus.AlreadyDone, $"Certificate {summary.CertificateThumbprint} is on the app (keyId {plan.ExistingCertificate.KeyId}).");
            else if (!approved.Contains(change))
                steps.Record(CertificateStep, IntegrationStepStatus.Skipped, "Declined.");
            else if (change.Kind == ChangeKind.AddCertificate)
                steps.Record(CertificateStep, IntegrationStepStatus.Done, $"Added certificate {summary.CertificateThumbprint} (keyId {addedKeyId ?? change.KeyId}), keeping the {kept} already there.{removed}");
            else
                steps.Record(CertificateStep, IntegrationStepStatus.Done, $"Certificate {summary.CertificateThumbprint} is on the app (keyId {plan.ExistingCertificate.KeyId}).{removed}");
        }

        /// <summary>
        /// Done only for what this run changed: a service principal or consent Graph reported as
        /// existing already (a re-run inside the replication window) leaves the step AlreadyDone.
        /// </summary>
        private static void RecordPermissionStep(IntegrationSteps steps, List<PlannedChange> permissionChanges, List<PlannedChange> approved, ApplyResult applied)
        {
            var made = permissionChanges.Where(c => approved.Contains(c) && !applied.AlreadyDone.Contains(c)).ToList();
            var retries = applied.ReplicationRetries > 0
                ? $" Consent was sent {applied.ReplicationRetries + 1} times over {applied.ReplicationWait.TotalSeconds:0.#} s while Entra ID replicated the new service principal."
                : string.Empty;
            if (!permissionChanges.All(approved.Contains))
                steps.Record(PermissionStep, IntegrationStepStatus.Skipped, "Declined: " + string.Join("; ", permissionChanges.Where(c => !approved.Contains(c)).Select(c => c.Action)) + ".");
            else if (made.Count == 0)
                steps.Record(PermissionStep, IntegrationStepStatus.AlreadyDone, $"{WellKnown.ManageAsAppRoleName} is requested and consented." +
                    (applied.AlreadyDone.Count > 0 ? $" Already there: {string.Join("; ", applied.AlreadyDone.Select(c => c.Action))}." : string.Empty));
            else
                steps.Record(PermissionStep, IntegrationStepStatus.Done, string.Join("; ", made.Select(c => c.Action)) + "." + retries);
        }

        private void InstallExchangeSteps(ExchangeLookup exchange, ApplicationState state, IntegrationSteps steps, IntegrationSummary summary)
        {
            if (SkipExchange)
            {
                var how = $"Skipped (-SkipExchange). Next: {Engine.Connection.ExchangeSignIn.Hint(GraphSessions.Current?.Context?.Account)}, then run Install-DropzoneExoIntegration again.";
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

        private void Finish(IntegrationSteps steps, IntegrationSummary summary, GraphSetupPlan plan)
        {
            WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            if (WhatIfRequested) return;
            summary.Steps = steps.ToArray();
            summary.NextSteps = summary.Complete
                ? $"In the Dropzone AI UI (Settings > Integrations > MS 365/Defender) enter Organization ID: {summary.OrganizationId}. Exchange may take 30 minutes to 2 hours to honour the new role." + Rotation(plan, summary)
                : summary.Steps.Any(s => s.Status == IntegrationStepStatus.Failed)
                    ? "Fix the failed step (see its Detail and the error), then run Install-DropzoneExoIntegration again: done steps are kept."
                    : SkipExchange
                        ? $"{Engine.Connection.ExchangeSignIn.Hint(GraphSessions.Current?.Context?.Account)}, then run Install-DropzoneExoIntegration again to finish the Exchange steps."
                        : "Some changes were declined: run Install-DropzoneExoIntegration again and accept them.";
            WriteObject(summary);
        }

        /// <summary>
        /// An older vendor certificate stays on the app (no outage while the vendor switches); this
        /// is the command that removes it once the vendor confirms it uses the new one.
        /// </summary>
        private string Rotation(GraphSetupPlan plan, IntegrationSummary summary)
        {
            var removed = new HashSet<Guid>(plan.Changes.SelectMany(c => c.RemovedCertificates).Select(c => c.KeyId));
            var previous = plan.State.Certificates
                .Where(c => string.Equals(c.DisplayName, CertificateDisplayName, StringComparison.Ordinal) && c.Thumbprint != summary.CertificateThumbprint && !removed.Contains(c.KeyId))
                .ToList();
            if (previous.Count == 0) return string.Empty;
            return $" The previous '{CertificateDisplayName}' certificate(s) stay on the app so nothing breaks while Dropzone AI switches; once it confirms it uses {summary.CertificateThumbprint}, remove them: "
                + string.Join("; ", previous.Select(c => $"Remove-DropzoneCertificate -ApplicationId {summary.ApplicationId} -Thumbprint {c.Thumbprint}")) + ".";
        }
    }
}
