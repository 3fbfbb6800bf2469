using System;
using System.Collections.Generic;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Steps;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Exchange
{
    /// <summary>What an Exchange step found or made (the module's ExchangeStepStatus names the first two).</summary>
    public enum ExchangeOutcome
    {
        Created,
        AlreadyExists,
        Declined,
    }

    /// <summary>An Exchange step's outcome and the object it is about (null when declined).</summary>
    public sealed class ExchangeStepResult<T> where T : class
    {
        internal ExchangeStepResult(ExchangeOutcome outcome, T value)
        {
            Outcome = outcome;
            Value = value;
        }

        public ExchangeOutcome Outcome { get; }
        public T Value { get; }
    }

    /// <summary>
    /// Step 4, the app's service principal registered in Exchange Online: the one routine behind
    /// New-DropzoneExoServicePrincipal, Install- and Test-DropzoneExoIntegration. Exchange calls run
    /// on the caller's thread.
    /// </summary>
    public static class ExchangeServicePrincipalStep
    {
        /// <summary>
        /// New-DropzoneExoServicePrincipal: the Enterprise application from Graph (waiting up to
        /// <paramref name="graphWait"/> for one created moments ago; Exchange's service principals are
        /// read meanwhile), then <see cref="Register"/>.
        /// </summary>
        public static ExchangeStepResult<ExchangeServicePrincipal> Run(IStepHost host, GraphGateway graph, ExchangeLookup exchange, string displayName,
            ReplicationRetry retry, TimeSpan graphWait, out ServicePrincipalInfo enterprise)
        {
            var appId = exchange.AppId;
            enterprise = host.Run(cancel => graph.FindKnownServicePrincipalAsync(appId, graphWait, cancel), () => exchange.ReadAhead(assignments: false))
                ?? throw DropzoneErrors.ServicePrincipalNotFoundForExchange(appId);
            return Register(host, exchange, enterprise, displayName ?? enterprise.DisplayName, retry);
        }

        /// <summary>
        /// New-ServicePrincipal for <paramref name="enterprise"/> unless Exchange has it (one with
        /// another object id is ExchangeServicePrincipalMismatch); asks first. With
        /// <paramref name="readFirst"/> false (never under -WhatIf) it writes without reading: on a
        /// tenant where Exchange has nothing that saves a call, and an "already exists" answer
        /// reads and reports AlreadyExists.
        /// </summary>
        public static ExchangeStepResult<ExchangeServicePrincipal> Register(IStepHost host, ExchangeLookup exchange, ServicePrincipalInfo enterprise,
            string displayName, ReplicationRetry retry, bool readFirst = true)
        {
            PlannedChange change;
            if (readFirst || host.WhatIf)
            {
                var existing = exchange.Registered;
                change = ExchangeSteps.PlanServicePrincipal(existing, enterprise, displayName);
                if (change == null) return new ExchangeStepResult<ExchangeServicePrincipal>(ExchangeOutcome.AlreadyExists, existing);
            }
            else change = ExchangeSteps.PlanServicePrincipal(null, enterprise, displayName);
            if (host.Approve(new[] { change }).Count == 0) return new ExchangeStepResult<ExchangeServicePrincipal>(ExchangeOutcome.Declined, null);
            var created = ExchangeSteps.CreateServicePrincipal(exchange, enterprise, displayName, retry, host.Log, host.Cancellation);
            return new ExchangeStepResult<ExchangeServicePrincipal>(created.RegisteredMeanwhile ? ExchangeOutcome.AlreadyExists : ExchangeOutcome.Created, created);
        }

        /// <summary>Test-DropzoneExoIntegration: Exchange knows the app by its Enterprise application's object id.</summary>
        public static CheckResult Check(ApplicationState state, ExchangeServicePrincipal registered)
        {
            var register = Remedy(state.AppId);
            if (registered == null)
                return CheckResult.Fail(SetupCheck.ExchangeServicePrincipal, "Exchange Online has no service principal for the app.", register);
            if (state.ServicePrincipal == null || !string.Equals(registered.ObjectId, state.ServicePrincipal.ObjectId, StringComparison.OrdinalIgnoreCase))
                return CheckResult.Fail(SetupCheck.ExchangeServicePrincipal,
                    $"Exchange knows the app as {registered.ObjectId}, but its Enterprise application is {state.ServicePrincipal?.ObjectId ?? "missing"}.",
                    $"Remove-ServicePrincipal -Identity {registered.ObjectId}; then {register}");
            return CheckResult.Pass(SetupCheck.ExchangeServicePrincipal, $"Exchange knows the app as {registered.ObjectId}, its Enterprise application.");
        }

        internal static string Remedy(Guid appId) => $"New-DropzoneExoServicePrincipal -ApplicationId {appId}";
    }

    /// <summary>
    /// Step 5, the management role (Transport Hygiene) assigned to that service principal: the one
    /// routine behind New-DropzoneExoRoleAssignment, Install- and Test-DropzoneExoIntegration.
    /// </summary>
    public static class TransportHygieneStep
    {
        /// <summary>New-DropzoneExoRoleAssignment: the app's Exchange service principal (ExchangeServicePrincipalMissing without one), then <see cref="Assign"/>.</summary>
        public static ExchangeStepResult<ExchangeRoleAssignment> Run(IStepHost host, ExchangeLookup exchange, ReplicationRetry retry,
            out ExchangeServicePrincipal servicePrincipal)
        {
            servicePrincipal = exchange.Registered ?? throw DropzoneErrors.ExchangeServicePrincipalMissing(exchange.AppId);
            return Assign(host, exchange, servicePrincipal, retry);
        }

        /// <summary>
        /// New-ManagementRoleAssignment with the module's name unless the service principal has the
        /// role (by that name, or one made by hand); asks first. A service principal that only
        /// -WhatIf would register has nothing to look up.
        /// </summary>
        public static ExchangeStepResult<ExchangeRoleAssignment> Assign(IStepHost host, ExchangeLookup exchange, ExchangeServicePrincipal servicePrincipal,
            ReplicationRetry retry)
        {
            var existing = host.WhatIfRequested && servicePrincipal.Identity == null ? null : exchange.Assignment(servicePrincipal);
            var change = ExchangeSteps.PlanRoleAssignment(existing, servicePrincipal, exchange.Role);
            if (change == null) return new ExchangeStepResult<ExchangeRoleAssignment>(ExchangeOutcome.AlreadyExists, existing);
            if (host.Approve(new[] { change }).Count == 0) return new ExchangeStepResult<ExchangeRoleAssignment>(ExchangeOutcome.Declined, null);
            var created = ExchangeSteps.CreateRoleAssignment(exchange.Gateway, exchange.Role, servicePrincipal, retry, host.Log, host.Cancellation);
            return new ExchangeStepResult<ExchangeRoleAssignment>(ExchangeOutcome.Created, created);
        }

        /// <summary>Test-DropzoneExoIntegration: the service principal holds the role.</summary>
        public static CheckResult Check(ApplicationState state, ExchangeLookup exchange, ExchangeServicePrincipal registered)
        {
            if (registered == null)
                return CheckResult.Fail(SetupCheck.TransportHygiene, "No role can be assigned without the Exchange service principal.", ExchangeServicePrincipalStep.Remedy(state.AppId));
            var assignment = exchange.Assignment(registered);
            return assignment != null
                ? CheckResult.Pass(SetupCheck.TransportHygiene, $"'{assignment.Name}' gives it {exchange.Role}.")
                : CheckResult.Fail(SetupCheck.TransportHygiene, $"The app has no {exchange.Role} role assignment.", $"New-DropzoneExoRoleAssignment -ApplicationId {state.AppId}");
        }

        /// <summary>Test-DropzoneExoIntegration without an Exchange session: both Exchange checks Skipped, with the reason.</summary>
        public static IEnumerable<CheckResult> NotConnected(DropzoneException notConnected)
        {
            yield return CheckResult.Skipped(SetupCheck.ExchangeServicePrincipal, notConnected.Message, notConnected.RecommendedAction);
            yield return CheckResult.Skipped(SetupCheck.TransportHygiene, notConnected.Message, notConnected.RecommendedAction);
        }
    }
}
