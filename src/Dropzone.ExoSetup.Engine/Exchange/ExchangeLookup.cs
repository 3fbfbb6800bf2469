using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Engine.Exchange
{
    /// <summary>
    /// What Exchange Online holds for one app, read on demand and each read made once: the
    /// service principals (one Get-ServicePrincipal, which also tells whether a display name is
    /// unique), the assignment with the module's name (Get-ManagementRoleAssignment -Identity), and
    /// only when that is absent the role's assignments (-Role) to recognise one made by hand or by an
    /// earlier version. Reads run on the caller's thread (the pipeline thread for the module).
    /// </summary>
    public sealed class ExchangeLookup
    {
        private readonly IExchangeGateway _exchange;
        private IReadOnlyList<ExchangeServicePrincipal> _servicePrincipals;
        private readonly Dictionary<string, ExchangeRoleAssignment> _byName = new Dictionary<string, ExchangeRoleAssignment>(StringComparer.OrdinalIgnoreCase);
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

        /// <summary>True once Get-ServicePrincipal was called.</summary>
        public bool HasReadServicePrincipals => _servicePrincipals != null;

        /// <summary>The app's service principal in Exchange, or null.</summary>
        public ExchangeServicePrincipal Registered => _created ?? ServicePrincipals.FirstOrDefault(sp => sp.IsFor(AppId));

        /// <summary>
        /// Reads ahead what a check or a removal needs: the service principals and, with
        /// <paramref name="namedAssignment"/>, the assignment with the module's name. Meant to run
        /// while Graph work is in flight; a failure is not kept, so the read is made again, and fails
        /// where its value is asked for.
        /// </summary>
        public void ReadAhead(bool namedAssignment)
        {
            try
            {
                var registered = Registered;
                if (namedAssignment && registered != null) NamedAssignment(registered.ObjectId);
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
            _byName[ExchangeSteps.AssignmentName(Role, created.ObjectId)] = null;
            _ofRole = new List<ExchangeRoleAssignment>();
        }

        /// <summary>The assignment with the module's name for the service principal with this object id, or null (one call).</summary>
        public ExchangeRoleAssignment NamedAssignment(string servicePrincipalObjectId)
        {
            var name = ExchangeSteps.AssignmentName(Role, servicePrincipalObjectId);
            if (!_byName.TryGetValue(name, out var found))
                _byName[name] = found = Read(() => FindByName(_exchange, Role, name));
            return found;
        }

        /// <summary>
        /// The service principal's assignment of the role: the module's named one, else one made by
        /// hand or by an earlier version (the role's assignments, matched on the assignee).
        /// </summary>
        public ExchangeRoleAssignment Assignment(ExchangeServicePrincipal servicePrincipal)
        {
            var named = NamedAssignment(servicePrincipal.ObjectId);
            if (named != null) return named;
            if (_ofRole == null) _ofRole = Read(() => _exchange.GetRoleAssignments(Role));
            // The display name counts only when it is unique: that needs the full list of service principals.
            var all = HasReadServicePrincipals || _created == null ? ServicePrincipals : new[] { servicePrincipal };
            return ExchangeSteps.MatchRoleAssignment(_ofRole, Role, servicePrincipal, all);
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
