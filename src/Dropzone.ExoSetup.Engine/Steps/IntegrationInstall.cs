using System;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>What Install-DropzoneExoIntegration was asked to do.</summary>
    public sealed class InstallRequest
    {
        /// <summary>The app by its Application (client) ID; when null, by <see cref="DisplayName"/>.</summary>
        public Guid? ApplicationId { get; set; }
        public string DisplayName { get; set; } = WellKnown.DefaultDisplayName;
        public VendorCertificate Certificate { get; set; }
        public string CertificateDisplayName { get; set; } = WellKnown.DefaultDisplayName;
        public bool RemoveExpiredCertificate { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(300);

        /// <summary>The tenant the Graph connection is for, when the organization cannot be read.</summary>
        public string TenantId { get; set; }

        /// <summary>The Graph account, to say how to connect to Exchange Online.</summary>
        public string Account { get; set; }
    }

    /// <summary>
    /// Install-DropzoneExoIntegration: every step of the vendor's procedure in one run, through the
    /// same step routines as the step cmdlets. Entra ID first (one read, one batched write), then
    /// Exchange Online on the caller's thread. Re-runnable: done steps report AlreadyDone and write nothing.
    /// </summary>
    public static class IntegrationInstall
    {
        private const string Activity = "Installing the Dropzone AI integration";
        private const string Rerun = "run Install-DropzoneExoIntegration again";

        /// <summary>
        /// Runs the steps; <paramref name="exchangeSession"/> null means -SkipExchange. A step that
        /// fails is reported Failed and its error is in <see cref="IntegrationReport.Failure"/>.
        /// </summary>
        public static IntegrationReport Run(IStepHost host, GraphGateway graph, IExchangeGateway exchangeSession, InstallRequest request)
        {
            var steps = new StepLog(Activity, host.Log, SetupStep.Certificate, SetupStep.ExchangePermission, SetupStep.OrganizationId,
                SetupStep.ExchangeServicePrincipal, SetupStep.TransportHygiene);
            var certificate = request.Certificate;
            steps.Starting(SetupStep.Certificate, "Reading the tenant");
            var appId = request.ApplicationId ?? host.Run(cancel => graph.ResolveApplicationAsync(request.DisplayName, cancel));
            var plan = host.Run(cancel => GraphSetupPlan.CreateAsync(graph, appId, certificate, request.CertificateDisplayName, false, request.RemoveExpiredCertificate, cancel));
            var state = plan.State;
            var report = new IntegrationReport
            {
                OrganizationId = state.Organization?.InitialDomain,
                TenantId = state.Organization?.TenantId ?? request.TenantId,
                ApplicationId = state.AppId,
                ApplicationDisplayName = state.DisplayName,
                ServicePrincipalObjectId = state.ServicePrincipal?.ObjectId,
                CertificateThumbprint = certificate.Thumbprint,
                CertificateNotAfter = certificate.NotAfter,
            };
            var exchange = exchangeSession == null ? null : new ExchangeLookup(exchangeSession, state.AppId);
            try
            {
                InstallEntra(host, graph, plan, request, steps, report, exchange);
                InstallExchange(host, exchange, state, request, steps, report);
            }
            catch (DropzoneException e)
            {
                report.Failure = e;
            }
            steps.Finished();
            report.Steps = steps.Reports();
            report.NextSteps = steps.Complete
                ? $"In the Dropzone AI UI (Settings > Integrations > MS 365/Defender) enter Organization ID: {report.OrganizationId}. Exchange may take 30 minutes to 2 hours to honour the new role."
                    + CertificateStep.Rotation(plan, request.CertificateDisplayName, certificate.Thumbprint, report.ApplicationId)
                : steps.AnyFailed
                    ? $"Fix the failed step (see its Detail and the error), then {Rerun}: done steps are kept."
                    : exchangeSession == null
                        ? $"{ExchangeSignIn.Hint(request.Account)}, then {Rerun} to finish the Exchange steps."
                        : $"Some changes were declined: {Rerun} and accept them.";
            return report;
        }

        private static void InstallEntra(IStepHost host, GraphGateway graph, GraphSetupPlan plan, InstallRequest request, StepLog steps,
            IntegrationReport report, ExchangeLookup exchange)
        {
            var approved = EntraSteps.Approve(host, plan);
            if (approved == null) return;
            var certificateChange = plan.CertificateChange;
            steps.Starting(certificateChange != null ? SetupStep.Certificate : SetupStep.ExchangePermission, "Writing to Entra ID");
            EntraWrite write;
            try
            {
                // Entra ID needs changes, so this is a first run: Exchange's service principals are
                // read (on this thread) while they are written, instead of after.
                write = EntraSteps.Write(host, graph, plan, approved, request.Timeout,
                    exchange != null ? () => exchange.ReadAhead(namedAssignment: false) : (Action)null);
            }
            catch (DropzoneException e)
            {
                steps.Record(certificateChange != null && approved.Contains(certificateChange) ? SetupStep.Certificate : SetupStep.ExchangePermission, StepStatus.Failed, e.Message);
                throw;
            }
            report.ServicePrincipalObjectId = write.Applied.ServicePrincipalId;
            var certificate = CertificateStep.Outcome(write, request.Certificate, request.CertificateDisplayName);
            steps.Record(SetupStep.Certificate, certificate.Status, certificate.Detail);
            var permission = PermissionStep.Outcome(write);
            steps.Record(SetupStep.ExchangePermission, permission.Status, permission.Detail);
            OrganizationIdStep.Record(steps, plan.State.Organization, report.TenantId);
        }

        private static void InstallExchange(IStepHost host, ExchangeLookup exchange, ApplicationState state, InstallRequest request, StepLog steps,
            IntegrationReport report)
        {
            if (exchange == null)
            {
                var how = $"Skipped (-SkipExchange). Next: {ExchangeSignIn.Hint(request.Account)}, then {Rerun}.";
                steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Skipped, how);
                steps.Record(SetupStep.TransportHygiene, StepStatus.Skipped, how);
                return;
            }
            // Under -WhatIf the service principal would be created: still show the Exchange changes.
            if (report.ServicePrincipalObjectId == null && !host.WhatIfRequested)
            {
                steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Skipped, "The app has no service principal (its creation was declined).");
                steps.Record(SetupStep.TransportHygiene, StepStatus.Skipped, "The app has no service principal.");
                return;
            }

            steps.Starting(SetupStep.ExchangeServicePrincipal, "Registering the service principal in Exchange Online");
            var role = exchange.Role;
            var retry = new ReplicationRetry { Timeout = request.Timeout };
            var objectId = report.ServicePrincipalObjectId;
            var enterprise = new ServicePrincipalInfo(objectId ?? "(the service principal to be created)", state.AppId,
                state.ServicePrincipal?.DisplayName ?? state.DisplayName);

            ExchangeServicePrincipal registered;
            try
            {
                // A tenant the module set up holds the assignment with the module's name, which it
                // makes only after registering the service principal: one call says both steps are
                // done. (When Entra ID needed changes, the service principals were read already.)
                var named = objectId != null && !exchange.HasReadServicePrincipals ? exchange.NamedAssignment(objectId) : null;
                if (named != null)
                {
                    steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.AlreadyDone, $"Exchange knows the app as {objectId} ('{named.Name}' is assigned to it).");
                    steps.Record(SetupStep.TransportHygiene, StepStatus.AlreadyDone, $"'{named.Name}' gives it {role}.");
                    return;
                }
                var registration = ExchangeServicePrincipalStep.Register(host, exchange, enterprise, enterprise.DisplayName, retry);
                registered = registration.Value;
                if (registration.Outcome == ExchangeOutcome.AlreadyExists)
                    steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.AlreadyDone, $"Exchange knows the app as {registered.ObjectId}.");
                else if (registration.Outcome == ExchangeOutcome.Created)
                    steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Done, $"New-ServicePrincipal -AppId {state.AppId} -ObjectId {registered.ObjectId}.");
                else if (!host.WhatIfRequested)
                {
                    steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Skipped, "Declined.");
                    steps.Record(SetupStep.TransportHygiene, StepStatus.Skipped, "Needs the Exchange service principal.");
                    return;
                }
                else
                {
                    // -WhatIf: the role assignment it would then make is still shown.
                    registered = new ExchangeServicePrincipal { AppId = state.AppId.ToString(), ObjectId = enterprise.ObjectId };
                }
            }
            catch (DropzoneException e)
            {
                steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Failed, e.Message);
                throw;
            }

            steps.Starting(SetupStep.TransportHygiene, $"Assigning the {role} role");
            try
            {
                var assignment = TransportHygieneStep.Assign(host, exchange, registered, retry);
                if (assignment.Outcome == ExchangeOutcome.AlreadyExists)
                    steps.Record(SetupStep.TransportHygiene, StepStatus.AlreadyDone, $"'{assignment.Value.Name}' gives it {role}.");
                else if (assignment.Outcome == ExchangeOutcome.Declined)
                    steps.Record(SetupStep.TransportHygiene, StepStatus.Skipped, "Declined.");
                else
                    steps.Record(SetupStep.TransportHygiene, StepStatus.Done, $"New-ManagementRoleAssignment '{assignment.Value.Name}'.");
            }
            catch (DropzoneException e)
            {
                steps.Record(SetupStep.TransportHygiene, StepStatus.Failed, e.Message);
                throw;
            }
        }
    }
}
