using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Exchange
{
    /// <summary>How long and how often to retry while Exchange does not yet know the service principal.</summary>
    public sealed class ReplicationRetry
    {
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(300);
        public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);
    }

    /// <summary>
    /// The Exchange half of the procedure: register the app's service principal in Exchange Online
    /// and give it the management role. Read, compare, then write only what is missing; never
    /// create a duplicate, even while retrying.
    /// </summary>
    public static class ExchangeSteps
    {
        public const string DefaultRole = "Transport Hygiene";

        // Exchange's words when the directory has not replicated the service principal to it yet.
        private static readonly Regex NotReplicated = new Regex(
            @"(could\s*not|couldn't|can't|cannot|wasn't|was\s+not)\s+(be\s+)?found\s+in\s+(Azure\s+Active\s+Directory|Azure\s+AD|Microsoft\s+Entra)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Exchange's service principal for the app: Get-ServicePrincipal, filtered (it may return every one).</summary>
        public static ExchangeServicePrincipal FindServicePrincipal(IExchangeGateway exchange, Guid appId)
        {
            try
            {
                return exchange.GetServicePrincipals(appId.ToString()).FirstOrDefault(sp => sp.IsFor(appId));
            }
            catch (ExchangeCommandException e) when (IsNotFound(e))
            {
                return null;
            }
        }

        /// <summary>
        /// Plans New-ServicePrincipal for the Enterprise application, or nothing when Exchange has
        /// it already. One registered with another object id (e.g. the app registration's, the
        /// mistake the vendor's docs warn about) is an error: fixing it means removing it first.
        /// </summary>
        public static PlannedChange PlanServicePrincipal(ExchangeServicePrincipal existing, ServicePrincipalInfo servicePrincipal, string displayName)
        {
            if (existing != null)
            {
                if (!string.Equals(existing.ObjectId, servicePrincipal.ObjectId, StringComparison.OrdinalIgnoreCase))
                    throw new DropzoneException(ErrorIds.ExchangeServicePrincipalMismatch, ErrorKind.InvalidData,
                        $"Exchange Online has a service principal for {servicePrincipal.AppId} with ObjectId {existing.ObjectId}, but the app's Enterprise application is {servicePrincipal.ObjectId}. " +
                        "It was probably registered with the app registration's object id.",
                        $"Remove it with Remove-ServicePrincipal -Identity {existing.ObjectId}, then run this command again.", existing.ObjectId);
                return null;
            }
            return new PlannedChange(ChangeKind.CreateExchangeServicePrincipal, $"Exchange Online organization",
                $"New-ServicePrincipal -AppId {servicePrincipal.AppId} -ObjectId {servicePrincipal.ObjectId} -DisplayName '{displayName}'");
        }

        /// <summary>New-ServicePrincipal, waiting out replication; looks again before every retry.</summary>
        public static ExchangeServicePrincipal CreateServicePrincipal(IExchangeGateway exchange, ServicePrincipalInfo servicePrincipal, string displayName,
            ReplicationRetry retry, IOperationLog log, CancellationToken cancellationToken) =>
            WithReplicationRetry("New-ServicePrincipal", retry, log, cancellationToken,
                () => exchange.NewServicePrincipal(servicePrincipal.AppId, servicePrincipal.ObjectId, displayName),
                () => FindServicePrincipal(exchange, servicePrincipal.AppId));

        /// <summary>The assignment of <paramref name="role"/> to the service principal, or null.</summary>
        public static ExchangeRoleAssignment FindRoleAssignment(IExchangeGateway exchange, string role, ExchangeServicePrincipal servicePrincipal)
        {
            var names = servicePrincipal.Identifiers().Where(n => !string.IsNullOrEmpty(n)).ToList();
            return exchange.GetRoleAssignments(role).FirstOrDefault(a =>
                string.Equals(a.Role, role, StringComparison.OrdinalIgnoreCase)
                && (names.Any(n => string.Equals(a.RoleAssigneeName, n, StringComparison.OrdinalIgnoreCase))
                    || names.Any(n => string.Equals(a.App, n, StringComparison.OrdinalIgnoreCase))));
        }

        public static PlannedChange PlanRoleAssignment(ExchangeRoleAssignment existing, ExchangeServicePrincipal servicePrincipal, string role) =>
            existing != null ? null : new PlannedChange(ChangeKind.AssignExchangeRole, "Exchange Online organization",
                $"New-ManagementRoleAssignment -App {servicePrincipal.ObjectId} -Role '{role}'");

        /// <summary>New-ManagementRoleAssignment, waiting out replication; looks again before every retry.</summary>
        public static ExchangeRoleAssignment CreateRoleAssignment(IExchangeGateway exchange, string role, ExchangeServicePrincipal servicePrincipal,
            ReplicationRetry retry, IOperationLog log, CancellationToken cancellationToken) =>
            WithReplicationRetry("New-ManagementRoleAssignment", retry, log, cancellationToken,
                () => exchange.NewRoleAssignment(servicePrincipal.ObjectId, role),
                () => FindRoleAssignment(exchange, role, servicePrincipal));

        /// <summary>
        /// Plans taking the app out of Exchange Online: its role assignment, then its service
        /// principal. Nothing else of Exchange's is touched.
        /// </summary>
        public static IReadOnlyList<PlannedChange> PlanRemoval(IExchangeGateway exchange, Guid appId, string role)
        {
            var changes = new List<PlannedChange>();
            var servicePrincipal = FindServicePrincipal(exchange, appId);
            if (servicePrincipal == null) return changes;
            var assignment = FindRoleAssignment(exchange, role, servicePrincipal);
            if (assignment != null)
                changes.Add(new PlannedChange(ChangeKind.RemoveExchangeRoleAssignment, "Exchange Online organization",
                    $"Remove-ManagementRoleAssignment -Identity '{assignment.Name}' ({role} for {servicePrincipal.ObjectId})")
                    { Identity = string.IsNullOrEmpty(assignment.Identity) ? assignment.Name : assignment.Identity });
            changes.Add(new PlannedChange(ChangeKind.RemoveExchangeServicePrincipal, "Exchange Online organization",
                $"Remove-ServicePrincipal -Identity {servicePrincipal.ObjectId} ({servicePrincipal.DisplayName})")
                { Identity = servicePrincipal.ObjectId });
            return changes;
        }

        /// <summary>Applies approved Exchange removals in plan order.</summary>
        public static void ApplyRemoval(IExchangeGateway exchange, IEnumerable<PlannedChange> approved)
        {
            foreach (var change in approved)
            {
                try
                {
                    if (change.Kind == ChangeKind.RemoveExchangeRoleAssignment) exchange.RemoveRoleAssignment(change.Identity);
                    else if (change.Kind == ChangeKind.RemoveExchangeServicePrincipal) exchange.RemoveServicePrincipal(change.Identity);
                }
                catch (ExchangeCommandException e)
                {
                    throw Failed(e);
                }
            }
        }

        /// <summary>The error for a role assignment asked for before Exchange knows the service principal.</summary>
        public static DropzoneException ServicePrincipalMissing(Guid appId) =>
            new DropzoneException(ErrorIds.ExchangeServicePrincipalMissing, ErrorKind.NotFound,
                $"Exchange Online has no service principal for the application {appId}, so no role can be assigned to it.",
                $"Run New-DropzoneExoServicePrincipal -ApplicationId {appId} first.", appId);

        public static DropzoneException Failed(ExchangeCommandException e) =>
            new DropzoneException(ErrorIds.ExchangeCommandFailed, ErrorKind.InvalidOperation,
                $"{e.Command} failed: {e.Message}",
                "Check the message from Exchange Online above; see Get-Help about_Dropzone_ExoSetup (TROUBLESHOOTING).", e.Command, innerException: e);

        internal static bool IsReplicationDelay(ExchangeCommandException e) => NotReplicated.IsMatch(e.Message ?? string.Empty);

        private static bool IsNotFound(ExchangeCommandException e) =>
            (e.ExchangeErrorId ?? string.Empty).IndexOf("NotFound", StringComparison.OrdinalIgnoreCase) >= 0 && !IsReplicationDelay(e);

        private static T WithReplicationRetry<T>(string command, ReplicationRetry retry, IOperationLog log, CancellationToken cancellationToken,
            Func<T> create, Func<T> findExisting) where T : class
        {
            var started = DateTimeOffset.UtcNow;
            var delay = retry.FirstDelay;
            const int activity = 4712;
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return create();
                    }
                    catch (ExchangeCommandException e) when (IsReplicationDelay(e))
                    {
                        var left = retry.Timeout - (DateTimeOffset.UtcNow - started);
                        if (left <= TimeSpan.Zero)
                            throw new DropzoneException(ErrorIds.ExchangeReplicationTimeout, ErrorKind.OperationTimeout,
                                $"{command} kept failing for {retry.Timeout.TotalSeconds:0} s because Exchange Online does not know the service principal yet: {e.Message}",
                                "Entra ID can take several minutes to replicate a new service principal to Exchange Online. Wait, then run the command again (or pass a larger -TimeoutSeconds).",
                                command, innerException: e);
                        var wait = delay < left ? delay : left;
                        log.Verbose($"{command} (attempt {attempt}): Exchange does not know the service principal yet; trying again in {wait.TotalSeconds:0.#} s.");
                        log.Progress(new OperationProgress(activity, "Waiting for Exchange Online to see the service principal",
                            $"{command}: attempt {attempt} failed, {left.TotalSeconds:0} s left",
                            (int)Math.Min(99, 100 * (DateTimeOffset.UtcNow - started).TotalSeconds / retry.Timeout.TotalSeconds), (int)left.TotalSeconds));
                        if (cancellationToken.WaitHandle.WaitOne(wait)) cancellationToken.ThrowIfCancellationRequested();
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retry.MaxDelay.Ticks));
                        // A call that failed may still have done its work: look before creating again.
                        var existing = findExisting();
                        if (existing != null) return existing;
                    }
                    catch (ExchangeCommandException e)
                    {
                        throw Failed(e);
                    }
                }
            }
            finally
            {
                log.Progress(new OperationProgress(activity, "Waiting for Exchange Online to see the service principal", "Done", completed: true));
            }
        }
    }
}
