using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Model;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Planning
{
    /// <summary>
    /// What one PATCH of the app's certificates and permissions meant, as a difference against the
    /// state it was planned on: the entries it adds, those it removes, and those it keeps (sends back
    /// unchanged). Graph has no ETag or If-Match on applications and a PATCH replaces the whole
    /// collection, so a second writer whose PATCH lands after ours silently undoes it. Read back,
    /// <see cref="Check"/> tells what of ours was undone and what we kept has vanished;
    /// <see cref="Rebase"/> lays the same difference over a fresh read, so writing again keeps what
    /// the other writer added. Plain code: no I/O.
    /// </summary>
    internal sealed class WriteIntent
    {
        private readonly string _appName;
        private readonly bool _certificates;
        private readonly bool _permissions;
        private readonly List<KeyCredential> _addedCertificates;
        private readonly HashSet<Guid> _removedKeyIds;
        private readonly Dictionary<Guid, string> _keptCertificates;
        private readonly List<Permission> _addedPermissions;
        private readonly List<Permission> _removedPermissions;
        private readonly List<Permission> _keptPermissions;

        private WriteIntent(string appName, bool certificates, bool permissions, List<KeyCredential> addedCertificates, HashSet<Guid> removedKeyIds,
            Dictionary<Guid, string> keptCertificates, List<Permission> addedPermissions, List<Permission> removedPermissions, List<Permission> keptPermissions)
        {
            _appName = appName;
            _certificates = certificates;
            _permissions = permissions;
            _addedCertificates = addedCertificates;
            _removedKeyIds = removedKeyIds;
            _keptCertificates = keptCertificates;
            _addedPermissions = addedPermissions;
            _removedPermissions = removedPermissions;
            _keptPermissions = keptPermissions;
        }

        /// <summary>The difference between <paramref name="patch"/> (the collections to write) and the state it was planned on.</summary>
        public static WriteIntent From(ApplicationState before, Application patch)
        {
            var certificates = patch.KeyCredentials != null;
            var permissions = patch.RequiredResourceAccess != null;
            var beforeKeyIds = new HashSet<Guid>(before.KeyCredentials.Select(k => k.KeyId ?? Guid.Empty));
            var writtenKeyIds = certificates ? new HashSet<Guid>(patch.KeyCredentials.Select(k => k.KeyId ?? Guid.Empty)) : beforeKeyIds;
            var beforePermissions = Permission.All(before.RequiredResourceAccess);
            var writtenPermissions = permissions ? Permission.All(patch.RequiredResourceAccess) : beforePermissions;
            return new WriteIntent(
                ApplicationPlanner.Describe(before), certificates, permissions,
                certificates ? patch.KeyCredentials.Where(k => !beforeKeyIds.Contains(k.KeyId ?? Guid.Empty)).ToList() : new List<KeyCredential>(),
                new HashSet<Guid>(beforeKeyIds.Where(id => !writtenKeyIds.Contains(id))),
                certificates ? before.KeyCredentials.Where(k => writtenKeyIds.Contains(k.KeyId ?? Guid.Empty)).ToDictionary(k => k.KeyId ?? Guid.Empty, Describe) : new Dictionary<Guid, string>(),
                writtenPermissions.Except(beforePermissions).ToList(),
                beforePermissions.Except(writtenPermissions).ToList(),
                permissions ? writtenPermissions.Intersect(beforePermissions).ToList() : new List<Permission>());
        }

        /// <summary>Compares the app as read back with what this write meant.</summary>
        public WriteCheck Check(ApplicationState now)
        {
            var lost = new List<string>();
            var vanished = new List<string>();
            if (_certificates)
            {
                var thumbprints = new HashSet<string>(now.Certificates.Select(c => c.Thumbprint).Where(t => t != null));
                var keyIds = new HashSet<Guid>(now.Certificates.Select(c => c.KeyId));
                // A certificate counts as there when its thumbprint is, whichever keyId it got (a
                // second run adding the same certificate is not a loss).
                lost.AddRange(_addedCertificates.Where(k => !thumbprints.Contains(Thumbprint(k))).Select(Describe));
                lost.AddRange(_removedKeyIds.Where(keyIds.Contains).Select(id => $"the removal of certificate keyId {id} (it is back)"));
                vanished.AddRange(_keptCertificates.Where(k => !keyIds.Contains(k.Key)).Select(k => k.Value));
            }
            if (_permissions)
            {
                var present = new HashSet<Permission>(Permission.All(now.RequiredResourceAccess));
                lost.AddRange(_addedPermissions.Where(p => !present.Contains(p)).Select(p => p.ToString()));
                lost.AddRange(_removedPermissions.Where(present.Contains).Select(p => $"the removal of {p} (it is back)"));
                vanished.AddRange(_keptPermissions.Where(p => !present.Contains(p)).Select(p => p.ToString()));
            }
            return new WriteCheck(lost, vanished);
        }

        /// <summary>
        /// The same difference laid over a fresh read: <paramref name="patch"/> gets the collections
        /// as they are now, minus what this write removes, plus what it adds and is missing. The
        /// returned intent keeps what is there now, so the next check judges the next write.
        /// </summary>
        public WriteIntent Rebase(ApplicationState now, out Application patch)
        {
            patch = new Application();
            var keptCertificates = new Dictionary<Guid, string>();
            if (_certificates)
            {
                ApplicationPlanner.RequireReadableKeys(now);
                var credentials = now.KeyCredentials.Where(k => !_removedKeyIds.Contains(k.KeyId ?? Guid.Empty)).Select(ApplicationPlanner.Copy).ToList();
                foreach (var k in credentials) keptCertificates[k.KeyId ?? Guid.Empty] = Describe(k);
                var thumbprints = new HashSet<string>(now.Certificates.Select(c => c.Thumbprint).Where(t => t != null));
                credentials.AddRange(_addedCertificates.Where(k => !thumbprints.Contains(Thumbprint(k))).Select(ApplicationPlanner.Copy));
                patch.KeyCredentials = credentials;
            }
            var keptPermissions = new List<Permission>();
            if (_permissions)
            {
                var access = now.RequiredResourceAccess.Select(ApplicationPlanner.Copy).ToList();
                foreach (var p in _removedPermissions) access = ApplicationPlanner.WithoutPermission(access, p.ResourceAppId, p.Id, p.Type);
                keptPermissions = Permission.All(access);
                foreach (var p in _addedPermissions.Where(p => !keptPermissions.Contains(p))) access = ApplicationPlanner.WithPermission(access, p.ResourceAppId, p.Id, p.Type);
                patch.RequiredResourceAccess = access;
            }
            return new WriteIntent(_appName, _certificates, _permissions, _addedCertificates, _removedKeyIds, keptCertificates,
                _addedPermissions, _removedPermissions, keptPermissions);
        }

        public string AppName => _appName;

        private static string Thumbprint(KeyCredential k) => CertificateDetails.From(k).Thumbprint;

        private static string Describe(KeyCredential k) =>
            $"certificate '{k.DisplayName}' (thumbprint {Thumbprint(k) ?? "unknown"}, keyId {k.KeyId})";

        /// <summary>One entry of requiredResourceAccess: a permission of one API.</summary>
        private sealed class Permission : IEquatable<Permission>
        {
            private Permission(string resourceAppId, Guid id, string type)
            {
                ResourceAppId = resourceAppId;
                Id = id;
                Type = type;
            }

            public string ResourceAppId { get; }
            public Guid Id { get; }
            public string Type { get; }

            public static List<Permission> All(IEnumerable<RequiredResourceAccess> access) =>
                access.SelectMany(r => (r.ResourceAccess ?? new List<ResourceAccess>())
                        .Select(a => new Permission((r.ResourceAppId ?? string.Empty).ToLowerInvariant(), a.Id ?? Guid.Empty, a.Type)))
                    .Distinct().ToList();

            public bool Equals(Permission other) =>
                other != null && other.ResourceAppId == ResourceAppId && other.Id == Id && string.Equals(other.Type, Type, StringComparison.Ordinal);

            public override bool Equals(object obj) => Equals(obj as Permission);
            public override int GetHashCode() => (ResourceAppId.GetHashCode() * 397) ^ Id.GetHashCode() ^ (Type ?? string.Empty).GetHashCode();

            public override string ToString() =>
                Id == WellKnown.ManageAsAppRoleId && ResourceAppId == WellKnown.ExchangeOnlineAppId.ToString()
                    ? $"the permission {WellKnown.ManageAsAppRoleName} of Office 365 Exchange Online"
                    : $"the {(Type == "Role" ? "application" : "delegated")} permission {Id} of the API {ResourceAppId}";
        }
    }

    /// <summary>What reading the app back after a write found.</summary>
    internal sealed class WriteCheck
    {
        public WriteCheck(IReadOnlyList<string> lost, IReadOnlyList<string> vanished)
        {
            Lost = lost;
            Vanished = vanished;
        }

        /// <summary>What this write added (or removed) that another write undid.</summary>
        public IReadOnlyList<string> Lost { get; }

        /// <summary>What this write kept (sent back unchanged) that is gone now.</summary>
        public IReadOnlyList<string> Vanished { get; }

        public bool Complete => Lost.Count == 0;
    }
}
