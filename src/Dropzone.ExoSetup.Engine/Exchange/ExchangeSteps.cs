using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
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

        // Short at first: every Exchange call takes about a second anyway, so a lag of a few seconds
        // costs little more than itself; the pause then grows by half each time (about 12 tries in
        // a minute of lag).
        public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(250);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);
    }

    /// <summary>
    /// The Exchange half of the procedure: register the app's service principal in Exchange Online
    /// and give it the management role. Read, compare, then write only what is missing; never
    /// create a duplicate, even while retrying. Every Exchange cmdlet is a REST round trip of about a
    /// second, so each step makes as few as it can (see <see cref="ExchangeLookup"/>).
    /// </summary>
    public static class ExchangeSteps
    {
        public const string DefaultRole = "Transport Hygiene";

        /// <summary>New-ManagementRoleAssignment -Name: at most 64 characters (New-ManagementRoleAssignment.md).</summary>
        public const int MaxAssignmentNameLength = 64;

        // The invented wording of a service principal the directory has not replicated to Exchange yet.
        private static readonly Regex NotReplicated = new Regex(
            @"(could\s*not|couldn't|can't|cannot|wasn't|was\s+not)\s+(be\s+)?found\s+in\s+(Azure\s+Active\s+Directory|Azure\s+AD|Microsoft\s+Entra)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // Exchange's usual not-found text: "The operation couldn't be performed because object '<id>'
        // couldn't be found on '<domain controller>'." (ManagementObjectNotFoundException).
        private static readonly Regex NotFoundOn = new Regex(
            @"(could\s*not|couldn't|can't|cannot)\s+be\s+found\s+on\s",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// The module's own name for the assignment of <paramref name="role"/> to a service principal:
        /// "&lt;role&gt;-&lt;object id&gt;", unique per service principal and role, at most 64 characters (a
        /// role too long for that is cut and told apart by a hash of its full name).
        /// </summary>
        public static string AssignmentName(string role, string servicePrincipalObjectId)
        {
            var objectId = (servicePrincipalObjectId ?? string.Empty).ToLowerInvariant();
            var name = $"{role}-{objectId}";
            if (name.Length <= MaxAssignmentNameLength) return name;
            string hash;
            using (var sha = SHA256.Create())
                hash = string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(role.ToLowerInvariant())).Take(4).Select(b => b.ToString("x2")));
            var keep = Math.Max(0, MaxAssignmentNameLength - objectId.Length - hash.Length - 2);
            return $"{role.Substring(0, Math.Min(keep, role.Length)).TrimEnd()}~{hash}-{objectId}";
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
                    throw DropzoneErrors.ExchangeServicePrincipalMismatch(servicePrincipal.AppId, existing.ObjectId, servicePrincipal.ObjectId);
                return null;
            }
            return new PlannedChange(ChangeKind.CreateExchangeServicePrincipal, $"Exchange Online organization",
                $"New-ServicePrincipal -AppId {servicePrincipal.AppId} -ObjectId {servicePrincipal.ObjectId} -DisplayName '{displayName}'");
        }

        /// <summary>New-ServicePrincipal, waiting out replication (see the overload taking an <see cref="ExchangeLookup"/>).</summary>
        public static ExchangeServicePrincipal CreateServicePrincipal(IExchangeGateway exchange, ServicePrincipalInfo servicePrincipal, string displayName,
            ReplicationRetry retry, IOperationLog log, CancellationToken cancellationToken) =>
            CreateServicePrincipal(new ExchangeLookup(exchange, servicePrincipal.AppId), servicePrincipal, displayName, retry, log, cancellationToken);

        /// <summary>
        /// New-ServicePrincipal, sent again while Exchange does not see the service principal yet
        /// (replication), with no look between tries: a try that failed registered nothing, and
        /// should one have, the next answers "already exists". That answer (a second admin, an
        /// earlier run, or a write made without reading first) means the step is done: Exchange's
        /// service principals are read once to confirm it is this Enterprise application
        /// (ExchangeServicePrincipalMismatch when it is another object id). The result is recorded in
        /// <paramref name="lookup"/>.
        /// </summary>
        public static ExchangeServicePrincipal CreateServicePrincipal(ExchangeLookup lookup, ServicePrincipalInfo servicePrincipal, string displayName,
            ReplicationRetry retry, IOperationLog log, CancellationToken cancellationToken)
        {
            var exchange = lookup.Gateway;
            try
            {
                var created = WithReplicationRetry("New-ServicePrincipal", new[] { servicePrincipal.ObjectId, servicePrincipal.AppId.ToString() }, retry, log,
                    cancellationToken, () => exchange.NewServicePrincipal(servicePrincipal.AppId, servicePrincipal.ObjectId, displayName), null);
                lookup.RegisteredNow(created);
                return created;
            }
            catch (DropzoneException e) when (e.InnerException is ExchangeCommandException inner && ExchangeErrorText.IsAlreadyExists(inner.Message))
            {
                var registered = lookup.ReadRegisteredAgain();
                if (registered == null) throw;
                if (!string.Equals(registered.ObjectId, servicePrincipal.ObjectId, StringComparison.OrdinalIgnoreCase))
                    throw DropzoneErrors.ExchangeServicePrincipalMismatch(servicePrincipal.AppId, registered.ObjectId, servicePrincipal.ObjectId);
                registered.RegisteredMeanwhile = true;
                return registered;
            }
        }

        /// <summary>
        /// The assignment of <paramref name="role"/> among <paramref name="assignments"/> that belongs
        /// to <paramref name="servicePrincipal"/>: the one with the module's name, else one whose
        /// RoleAssignee or RoleAssigneeName is any of its ObjectId, AppId, Identity and Name, or its
        /// DisplayName when no other of <paramref name="allServicePrincipals"/> bears that name (Exchange
        /// may show an assignee by its display name: UNCONFIRMED).
        /// </summary>
        public static ExchangeRoleAssignment MatchRoleAssignment(IEnumerable<ExchangeRoleAssignment> assignments, string role,
            ExchangeServicePrincipal servicePrincipal, IEnumerable<ExchangeServicePrincipal> allServicePrincipals, bool byDisplayName = true)
        {
            var name = AssignmentName(role, servicePrincipal.ObjectId);
            var names = servicePrincipal.Identifiers().ToList();
            var displayName = servicePrincipal.DisplayName;
            if (byDisplayName && !string.IsNullOrEmpty(displayName)
                && !(allServicePrincipals ?? Enumerable.Empty<ExchangeServicePrincipal>()).Any(other =>
                    !string.Equals(other.ObjectId, servicePrincipal.ObjectId, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(other.DisplayName, displayName, StringComparison.OrdinalIgnoreCase)))
                names.Add(displayName);
            var ofRole = assignments.Where(a => string.Equals(a.Role, role, StringComparison.OrdinalIgnoreCase)).ToList();
            return ofRole.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? ofRole.FirstOrDefault(a => names.Any(n => string.Equals(a.RoleAssignee, n, StringComparison.OrdinalIgnoreCase)
                                                          || string.Equals(a.RoleAssigneeName, n, StringComparison.OrdinalIgnoreCase)));
        }

        public static PlannedChange PlanRoleAssignment(ExchangeRoleAssignment existing, ExchangeServicePrincipal servicePrincipal, string role)
        {
            if (existing != null) return null;
            // Under -WhatIf the service principal may be one still to be created, known by a placeholder only.
            var name = Guid.TryParse(servicePrincipal.ObjectId, out _) ? AssignmentName(role, servicePrincipal.ObjectId) : $"{role}-<its object id>";
            return new PlannedChange(ChangeKind.AssignExchangeRole, "Exchange Online organization",
                $"New-ManagementRoleAssignment -Name '{name}' -App {servicePrincipal.ObjectId} -Role '{role}'");
        }

        /// <summary>New-ManagementRoleAssignment with the module's name, waiting out replication; looks again (by that name) before every retry.</summary>
        public static ExchangeRoleAssignment CreateRoleAssignment(IExchangeGateway exchange, string role, ExchangeServicePrincipal servicePrincipal,
            ReplicationRetry retry, IOperationLog log, CancellationToken cancellationToken)
        {
            var name = AssignmentName(role, servicePrincipal.ObjectId);
            return WithReplicationRetry("New-ManagementRoleAssignment", servicePrincipal.Identifiers().ToArray(), retry, log, cancellationToken,
                () => exchange.NewRoleAssignment(name, servicePrincipal.ObjectId, role),
                () => ExchangeLookup.FindByName(exchange, role, name));
        }

        /// <summary>
        /// Plans taking the app out of Exchange Online: its role assignment (found by the module's
        /// name or, failing that, by its assignee), then its service principal. Nothing else of
        /// Exchange's is touched.
        /// </summary>
        public static IReadOnlyList<PlannedChange> PlanRemoval(ExchangeLookup exchange)
        {
            var changes = new List<PlannedChange>();
            var servicePrincipal = exchange.Registered;
            if (servicePrincipal == null) return changes;
            var assignment = exchange.Assignment(servicePrincipal);
            if (assignment != null)
                changes.Add(new PlannedChange(ChangeKind.RemoveExchangeRoleAssignment, "Exchange Online organization",
                    $"Remove-ManagementRoleAssignment -Identity '{assignment.Name}' ({exchange.Role} for {servicePrincipal.ObjectId})")
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
                    throw DropzoneErrors.ExchangeCommandFailed(e);
                }
            }
        }

        /// <summary>
        /// A failure that means "not replicated yet": either wording (the invented "could not be
        /// found in Azure Active Directory", or Exchange's usual "couldn't be found on '&lt;DC&gt;'"),
        /// and only when the object it names is the service principal being set up, so that a
        /// missing role or any other not-found fails at once.
        /// </summary>
        internal static bool IsReplicationDelay(ExchangeCommandException e, IEnumerable<string> servicePrincipalIdentifiers)
        {
            var message = e.Message ?? string.Empty;
            if (!NotReplicated.IsMatch(message) && !(NotFoundOn.IsMatch(message) || IsNotFound(e))) return false;
            return servicePrincipalIdentifiers.Any(id => !string.IsNullOrEmpty(id) && message.IndexOf(id, StringComparison.OrdinalIgnoreCase) >= 0);
        }

        /// <summary>Exchange's ManagementObjectNotFound (by the error id it reports).</summary>
        internal static bool IsNotFound(ExchangeCommandException e) =>
            (e.ExchangeErrorId ?? string.Empty).IndexOf("NotFound", StringComparison.OrdinalIgnoreCase) >= 0;

        private static T WithReplicationRetry<T>(string command, string[] servicePrincipalIdentifiers, ReplicationRetry retry, IOperationLog log,
            CancellationToken cancellationToken, Func<T> create, Func<T> findExisting) where T : class
        {
            var started = DateTimeOffset.UtcNow;
            var delay = retry.FirstDelay;
            const int activity = 4712;
            var waited = false;
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return create();
                    }
                    catch (ExchangeCommandException e) when (IsReplicationDelay(e, servicePrincipalIdentifiers))
                    {
                        var left = retry.Timeout - (DateTimeOffset.UtcNow - started);
                        if (left <= TimeSpan.Zero)
                            throw DropzoneErrors.ExchangeReplicationTimeout(command, retry.Timeout, e);
                        var wait = delay < left ? delay : left;
                        waited = true;
                        log.Verbose($"{command} (attempt {attempt}): Exchange does not know the service principal yet; trying again in {wait.TotalSeconds:0.##} s.");
                        log.Progress(new OperationProgress(activity, "Waiting for Exchange Online to see the service principal",
                            $"{command}: attempt {attempt} failed, {left.TotalSeconds:0} s left",
                            (int)Math.Min(99, 100 * (DateTimeOffset.UtcNow - started).TotalSeconds / retry.Timeout.TotalSeconds), (int)left.TotalSeconds));
                        if (cancellationToken.WaitHandle.WaitOne(wait)) cancellationToken.ThrowIfCancellationRequested();
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 3 / 2, retry.MaxDelay.Ticks));
                        // A call that failed may still have done its work: look before creating again
                        // (when a second try could not tell by itself).
                        if (findExisting == null) continue;
                        T existing;
                        try
                        {
                            existing = findExisting();
                        }
                        catch (ExchangeCommandException lookFailed)
                        {
                            throw DropzoneErrors.ExchangeCommandFailed(lookFailed);
                        }
                        if (existing != null) return existing;
                    }
                    catch (ExchangeCommandException e)
                    {
                        throw DropzoneErrors.ExchangeCommandFailed(e);
                    }
                }
            }
            finally
            {
                if (waited) log.Progress(new OperationProgress(activity, "Waiting for Exchange Online to see the service principal", "Done", completed: true));
            }
        }
    }
}
