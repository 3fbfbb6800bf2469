using System;
using System.Collections.Concurrent;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// What this session created in Entra ID and reads have not shown yet: the app's service
    /// principal (app id -> the object its POST returned) and its admin consent. Entra ID replicates
    /// a new object for a while, so a read right after the write may miss it; the session then uses
    /// what it remembers instead of creating it again. An entry is forgotten once a read shows the
    /// object, or when this session deletes it, so the memory never outlives the replication lag.
    /// One per Graph connection.
    /// </summary>
    public sealed class SessionMemory
    {
        private readonly ConcurrentDictionary<Guid, (ServicePrincipal Object, DateTimeOffset At)> _servicePrincipals = new ConcurrentDictionary<Guid, (ServicePrincipal, DateTimeOffset)>();
        private readonly ConcurrentDictionary<Guid, (AppRoleAssignment Object, DateTimeOffset At)> _consents = new ConcurrentDictionary<Guid, (AppRoleAssignment, DateTimeOffset)>();

        /// <summary>
        /// How long an entry is trusted. Replication takes seconds to minutes; past this, a read
        /// that still misses the object means it is gone (deleted elsewhere), not late.
        /// </summary>
        public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(10);

        internal void RememberServicePrincipal(Guid appId, ServicePrincipal created)
        {
            if (created?.Id != null) _servicePrincipals[appId] = (created, DateTimeOffset.UtcNow);
        }

        internal void RememberConsent(Guid appId, AppRoleAssignment created)
        {
            if (created?.Id != null) _consents[appId] = (created, DateTimeOffset.UtcNow);
        }

        /// <summary>The service principal this session created for the app and reads have not shown yet; else null.</summary>
        internal ServicePrincipal ServicePrincipalOf(Guid appId) =>
            _servicePrincipals.TryGetValue(appId, out var entry) && DateTimeOffset.UtcNow - entry.At < Lifetime ? entry.Object : null;

        /// <summary>The consent this session granted to the app and reads have not shown yet; else null.</summary>
        internal AppRoleAssignment ConsentOf(Guid appId) =>
            _consents.TryGetValue(appId, out var entry) && DateTimeOffset.UtcNow - entry.At < Lifetime ? entry.Object : null;

        /// <summary>Forgets the service principal (a read shows it, or it was deleted) and, unless kept, its consent.</summary>
        internal void ForgetServicePrincipal(Guid appId, bool keepConsent = false)
        {
            _servicePrincipals.TryRemove(appId, out _);
            // Entra ID deletes a service principal's assignments with it.
            if (!keepConsent) _consents.TryRemove(appId, out _);
        }

        internal void ForgetConsent(Guid appId) => _consents.TryRemove(appId, out _);
    }
}
