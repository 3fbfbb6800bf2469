using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Engine.Exchange
{
    /// <summary>
    /// What Exchange Online holds for one app, read on demand and each read made once: the service
    /// principals (one Get-ServicePrincipal, which also tells whether a display name is unique) and
    /// the role's assignments (one Get-ManagementRoleAssignment -Role, which holds the module's named
    /// assignment and any made by hand or by an earlier version). Every Exchange cmdlet is a REST
    /// round trip of about a second, so two reads answer every question a step asks. Reads run on
    /// the caller's thread (the pipeline thread for the module).
    /// </summary>
    public sealed class ExchangeLookup
    {
        private readonly IExchangeGateway _exchange;
        private IReadOnlyList<ExchangeServicePrincipal> _servicePrincipals;
        private IReadOnlyList<ExchangeRoleAssignment> _ofRole;
        private ExchangeServicePrincipal _created;

        public ExchangeLookup(IExchangeGateway exchange, Guid appId, string role = ExchangeSteps.DefaultRole)
        {
            _exchange = exchange;
            AppId = appId;
            Role = role;
        }

        public Guid AppId { get; }
        public string Role { get; }
        public IExchangeGateway Gateway => _exchange;

        /// <summary>Every service principal Exchange has (one Get-ServicePrincipal).</summary>
        public IReadOnlyList<ExchangeServicePrincipal> ServicePrincipals =>
            _servicePrincipals ?? (_servicePrincipals = Read(() => _exchange.GetServicePrincipals(null)));

        /// <summary>The app's service principal in Exchange, or null.</summary>
        public ExchangeServicePrincipal Registered => _created ?? ServicePrincipals.FirstOrDefault(sp => sp.IsFor(AppId));

        /// <summary>Every assignment of <see cref="Role"/> (one Get-ManagementRoleAssignment -Role).</summary>
        public IReadOnlyList<ExchangeRoleAssignment> RoleAssignments =>
            _ofRole ?? (_ofRole = Read(() => _exchange.GetRoleAssignments(Role)));

        /// <summary>
        /// Reads ahead what a check or a removal needs: the service principals and, with
        /// <paramref name="assignments"/>, the role's assignments. Meant to run while Graph work is in
        /// flight; a failure is not kept, so the read is made again, and fails where its value is asked for.
        /// </summary>
        public void ReadAhead(bool assignments)
        {
            try
            {
                _ = ServicePrincipals;
                if (assignments) _ = RoleAssignments;
            }
            catch (DropzoneException)
            {
            }
        }

        /// <summary>
        /// Records a service principal registered moments ago: it can hold no assignment yet, so
        /// no lookup is made for one.
        /// </summary>
        public void RegisteredNow(ExchangeServicePrincipal created)
        {
            _created = created;
            _ofRole = new List<ExchangeRoleAssignment>();
        }

        /// <summary>
        /// The app's service principal as Exchange has it now (a new Get-ServicePrincipal): after
        /// New-ServicePrincipal answered "already exists", the list read before (if any) is out of date.
        /// </summary>
        public ExchangeServicePrincipal ReadRegisteredAgain()
        {
            _servicePrincipals = null;
            _created = null;
            return Registered;
        }

        /// <summary>
        /// The service principal's assignment of the role: the module's named one, else one made by
        /// hand or by an earlier version (matched on the assignee; by display name only when it is
        /// unique among Exchange's service principals).
        /// </summary>
        public ExchangeRoleAssignment Assignment(ExchangeServicePrincipal servicePrincipal)
        {
            var all = _servicePrincipals ?? (_created != null ? (IReadOnlyList<ExchangeServicePrincipal>)new[] { servicePrincipal } : ServicePrincipals);
            return ExchangeSteps.MatchRoleAssignment(RoleAssignments, Role, servicePrincipal, all);
        }

        /// <summary>
        /// From the role's assignments alone (no Get-ServicePrincipal): the one that names the
        /// Enterprise application <paramref name="objectId"/> (by the module's name, or an assignee
        /// that is its object id or the app id). When none does, <paramref name="undecided"/> says
        /// whether another service principal's assignment might still be the app's (Exchange may show
        /// an assignee by its display name), which only the service principals can settle.
        /// </summary>
        public ExchangeRoleAssignment AssignmentOfEnterprise(string objectId, out bool undecided)
        {
            var known = new ExchangeServicePrincipal { ObjectId = objectId, AppId = AppId.ToString() };
            var match = ExchangeSteps.MatchRoleAssignment(RoleAssignments, Role, known, null, byDisplayName: false);
            undecided = match == null && RoleAssignments.Any(a =>
                string.Equals(a.Role, Role, StringComparison.OrdinalIgnoreCase)
                && (string.IsNullOrEmpty(a.RoleAssigneeType) || string.Equals(a.RoleAssigneeType, "ServicePrincipal", StringComparison.OrdinalIgnoreCase)));
            return match;
        }

        /// <summary>Get-ManagementRoleAssignment -Identity &lt;name&gt;: the assignment of that name and role, or null when Exchange says not found.</summary>
        internal static ExchangeRoleAssignment FindByName(IExchangeGateway exchange, string role, string name)
        {
            try
            {
                // An unknown name may also return every assignment: keep only the one so named.
                return exchange.GetRoleAssignment(name).FirstOrDefault(a =>
                    string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Role, role, StringComparison.OrdinalIgnoreCase));
            }
            catch (ExchangeCommandException e) when (ExchangeSteps.IsNotFound(e))
            {
                return null;
            }
        }

        private static T Read<T>(Func<T> read)
        {
            try
            {
                return read();
            }
            catch (ExchangeCommandException e)
            {
                throw DropzoneErrors.ExchangeCommandFailed(e);
            }
        }
    }
}
