using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
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

        /// <summary>Step 1's read, already started (<see cref="IntegrationInstall.ReadAsync"/>); null: read when the run starts.</summary>
        public System.Threading.Tasks.Task<GraphSetupPlan> PlanRead { get; set; }
    }

    /// <summary>
    /// Install-DropzoneExoIntegration: every step of the vendor's procedure in one run, through the
    /// same step routines as the step cmdlets. One read of Entra ID plans the Entra steps; then two
    /// halves run side by side: the Entra writes (certificate, permission, consent and its
    /// replication retries) off the pipeline thread, and the Exchange steps on it, started as soon as
    /// the one input they need, the service principal's object id, is known (read, or created by the
    /// Entra half). Both halves share one deadline; a failure in one leaves the other's work done.
    /// Re-runnable: done steps report AlreadyDone and write nothing.
    /// </summary>
    public static class IntegrationInstall
    {
        private const string Activity = "Installing the Dropzone AI integration";
        private const string Rerun = "run Install-DropzoneExoIntegration again";

        /// <summary>
        /// Runs the steps; <paramref name="exchangeSession"/> null means -SkipExchange. A step that
        /// fails is reported Failed and its error is in <see cref="IntegrationReport.Failure"/>
        /// (the Entra ID half's when both fail).
        /// </summary>
        public static IntegrationReport Run(IStepHost host, GraphGateway graph, IExchangeGateway exchangeSession, InstallRequest request)
        {
            var deadline = DateTimeOffset.UtcNow + request.Timeout;
            var steps = new StepLog(Activity, host.Log, SetupStep.Certificate, SetupStep.ExchangePermission, SetupStep.OrganizationId,
                SetupStep.ExchangeServicePrincipal, SetupStep.TransportHygiene);
            var certificate = request.Certificate;

            // 1. Read Entra ID and plan its steps.
            steps.Starting(SetupStep.Certificate, "Reading the tenant");
            var plan = request.PlanRead != null
                ? host.Run(cancel => request.PlanRead)
                : host.Run(cancel => ReadAsync(graph, request, cancel));
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
                Form = DropzoneForm.From(state, request.TenantId),
            };

            // 2. Ask about every Entra change (null under -WhatIf: nothing is written).
            var approved = EntraSteps.Approve(host, plan);

            // 3. The two halves. The Exchange half needs the service principal's object id: the Entra
            //    half tells it as soon as it may be used (at once when it exists, or when its creation
            //    is answered; after a certificate update that may be refused as a whole is accepted).
            var servicePrincipal = new StepInput<string>();
            DropzoneException exchangeFailure = null;
            Action exchangeHalf = () => exchangeFailure = InstallExchange(host, exchangeSession, state, request, steps, report, deadline,
                entraWrites: approved != null && approved.Count > 0, servicePrincipal);
            var entraFailure = InstallEntra(host, graph, plan, approved, request, steps, report, deadline, servicePrincipal, exchangeHalf);

            report.Failure = entraFailure ?? exchangeFailure;
            steps.Finished();
            report.Steps = steps.Reports();
            report.NextSteps = steps.Complete
                ? $"In the Dropzone AI UI (Settings > Integrations > MS 365/Defender) enter {string.Join("; ", report.Form.Lines())}. Exchange may take 30 minutes to 2 hours to honour the new role."
                    + CertificateStep.Rotation(plan, request.CertificateDisplayName, certificate.Thumbprint, report.ApplicationId)
                : steps.AnyFailed
                    ? $"Fix the failed step in {Halves(entraFailure, exchangeFailure)} (see its Detail and the error), then {Rerun}: done steps are kept."
                    : exchangeSession == null
                        ? $"{ExchangeSignIn.Hint(request.Account)}, then {Rerun} to finish the Exchange steps."
                        : $"Some changes were declined: {Rerun} and accept them.";
            return report;
        }

        /// <summary>
        /// Step 1's read and plan alone (the app by id or name, then one read of what the steps
        /// need): what a many-tenant run starts ahead for the next tenants while Exchange works.
        /// </summary>
        public static async Task<GraphSetupPlan> ReadAsync(GraphGateway graph, InstallRequest request, CancellationToken cancellationToken)
        {
            var appId = request.ApplicationId ?? await graph.ResolveApplicationAsync(request.DisplayName, cancellationToken).ConfigureAwait(false);
            return await GraphSetupPlan.CreateAsync(graph, appId, request.Certificate, request.CertificateDisplayName, false, request.RemoveExpiredCertificate, cancellationToken).ConfigureAwait(false);
        }

        private static string Halves(DropzoneException entra, DropzoneException exchange) =>
            entra != null && exchange != null ? "Entra ID and the one in Exchange Online" : exchange != null ? "Exchange Online" : "Entra ID";

        /// <summary>
        /// The Entra ID half: writes the approved changes off the pipeline thread with
        /// <paramref name="exchangeHalf"/> running on it meanwhile (or, with nothing to write, runs
        /// it alone); then records the certificate, permission and Organization ID steps. Returns
        /// its failure instead of throwing, so that the Exchange half's outcome stands beside it.
        /// </summary>
        private static DropzoneException InstallEntra(IStepHost host, GraphGateway graph, GraphSetupPlan plan, List<PlannedChange> approved,
            InstallRequest request, StepLog steps, IntegrationReport report, DateTimeOffset deadline, StepInput<string> servicePrincipal, Action exchangeHalf)
        {
            if (approved == null || approved.Count == 0)
            {
                // -WhatIf or nothing to write (done, or every change declined): Exchange alone.
                servicePrincipal.Known(plan.State.ServicePrincipal?.ObjectId);
                exchangeHalf();
                if (approved == null) return null;
            }
            var certificateChange = plan.CertificateChange;
            EntraWrite write;
            try
            {
                if (approved.Count > 0) steps.Starting(certificateChange != null ? SetupStep.Certificate : SetupStep.ExchangePermission, "Writing to Entra ID");
                write = EntraSteps.Write(host, graph, plan, approved, Remaining(deadline), exchangeHalf, servicePrincipal.Known);
            }
            catch (DropzoneException e)
            {
                steps.Record(certificateChange != null && approved.Contains(certificateChange) ? SetupStep.Certificate : SetupStep.ExchangePermission, StepStatus.Failed, e.Message);
                return e;
            }
            report.ServicePrincipalObjectId = write.Applied.ServicePrincipalId;
            var certificate = CertificateStep.Outcome(write, request.Certificate, request.CertificateDisplayName);
            steps.Record(SetupStep.Certificate, certificate.Status, certificate.Detail);
            var permission = PermissionStep.Outcome(write);
            steps.Record(SetupStep.ExchangePermission, permission.Status, permission.Detail);
            try
            {
                OrganizationIdStep.Record(steps, plan.State.Organization, report.TenantId);
                return null;
            }
            catch (DropzoneException e)
            {
                return e;
            }
        }

        /// <summary>
        /// The Exchange Online half, on the pipeline thread: waits for the service principal's object
        /// id, then registers it and assigns the role with as few calls as the tenant allows. Where
        /// Entra ID needed writes this is a first run, so it writes without reading: New-ServicePrincipal
        /// (an "already exists" answer reads, and is AlreadyDone), then New-ManagementRoleAssignment
        /// with no lookup (a service principal registered moments ago holds no assignment). Otherwise one
        /// read of the role's assignments tells a tenant the module set up (done, one call); when it
        /// holds none for the app, New-ServicePrincipal is again written first, unless an assignment
        /// there might be the app's under its display name, which needs Exchange's service principals.
        /// -WhatIf reads before it plans. Returns the failure instead of throwing.
        /// </summary>
        private static DropzoneException InstallExchange(IStepHost host, IExchangeGateway session, ApplicationState state, InstallRequest request,
            StepLog steps, IntegrationReport report, DateTimeOffset deadline, bool entraWrites, StepInput<string> servicePrincipal)
        {
            if (session == null)
            {
                var how = $"Skipped (-SkipExchange). Next: {ExchangeSignIn.Hint(request.Account)}, then {Rerun}.";
                steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Skipped, how);
                steps.Record(SetupStep.TransportHygiene, StepStatus.Skipped, how);
                return null;
            }
            var exchange = new ExchangeLookup(session, state.AppId);
            var role = exchange.Role;
            var objectId = servicePrincipal.Wait(host);
            // Under -WhatIf the service principal would be created: still show the Exchange changes.
            if (objectId == null && !host.WhatIfRequested)
            {
                steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Skipped, "The app has no service principal (its creation failed or was declined).");
                steps.Record(SetupStep.TransportHygiene, StepStatus.Skipped, "The app has no service principal.");
                return null;
            }

            steps.Starting(SetupStep.ExchangeServicePrincipal, "Registering the service principal in Exchange Online");
            var retry = new ReplicationRetry { Timeout = Remaining(deadline) };
            var enterprise = new ServicePrincipalInfo(objectId ?? "(the service principal to be created)", state.AppId,
                state.ServicePrincipal?.DisplayName ?? state.DisplayName);

            ExchangeServicePrincipal registered;
            try
            {
                var writeFirst = entraWrites && !host.WhatIf;
                if (!writeFirst && objectId != null)
                {
                    var found = exchange.AssignmentOfEnterprise(objectId, out var undecided);
                    if (found != null)
                    {
                        // Made after the registration, by the module or by hand: both steps are done.
                        steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.AlreadyDone, $"Exchange knows the app as {objectId} ('{found.Name}' is assigned to it).");
                        steps.Record(SetupStep.TransportHygiene, StepStatus.AlreadyDone, $"'{found.Name}' gives it {role}.");
                        return null;
                    }
                    writeFirst = !undecided && !host.WhatIf;
                }
                var registration = ExchangeServicePrincipalStep.Register(host, exchange, enterprise, enterprise.DisplayName, retry, readFirst: !writeFirst);
                registered = registration.Value;
                if (registration.Outcome == ExchangeOutcome.AlreadyExists)
                    steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.AlreadyDone, $"Exchange knows the app as {registered.ObjectId}.");
                else if (registration.Outcome == ExchangeOutcome.Created)
                    steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Done, $"New-ServicePrincipal -AppId {state.AppId} -ObjectId {registered.ObjectId}.");
                else if (!host.WhatIfRequested)
                {
                    steps.Record(SetupStep.ExchangeServicePrincipal, StepStatus.Skipped, "Declined.");
                    steps.Record(SetupStep.TransportHygiene, StepStatus.Skipped, "Needs the Exchange service principal.");
                    return null;
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
                return e;
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
                return null;
            }
            catch (DropzoneException e)
            {
                steps.Record(SetupStep.TransportHygiene, StepStatus.Failed, e.Message);
                return e;
            }
        }

        // What is left of the run's one -TimeoutSeconds, for the half that starts now.
        private static TimeSpan Remaining(DateTimeOffset deadline)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}
