using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Engine.Planning
{
    /// <summary>
    /// What the Graph writes of a plan need from the signed-in token, checked before the first write
    /// so that a token that cannot finish the job writes nothing (instead of uploading the
    /// certificate and then failing at consent with a 403).
    ///
    /// Sources (Graph API reference, "Permissions" of application-update, serviceprincipal-post-
    /// serviceprincipals, serviceprincipal-delete, serviceprincipal-post-approleassignedto,
    /// serviceprincipal-delete-approleassignedto): app and service principal writes need
    /// Application.ReadWrite.All (delegated also Directory.AccessAsUser.All or Directory.ReadWrite.All;
    /// app-only also Application.ReadWrite.OwnedBy for an app the caller owns); consent needs
    /// AppRoleAssignment.ReadWrite.All together with Application.Read.All.
    /// </summary>
    public static class RequiredPermissions
    {
        /// <summary>The public client of "Microsoft Graph Command Line Tools", which Graph PowerShell signs in with.</summary>
        public const string GraphCommandLineToolsClientId = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

        /// <summary>The remedy every InsufficientPrivileges error names.</summary>
        public const string DeviceCodeRemedy = "Connect-DropzoneGraph -UseDeviceCode";

        /// <summary>One permission a write needs, with the other permissions that grant the same.</summary>
        public sealed class Requirement
        {
            internal Requirement(string name, string[] delegatedAlternatives, string[] applicationAlternatives, string why)
            {
                Name = name;
                Delegated = delegatedAlternatives;
                Application = applicationAlternatives;
                Why = why;
            }

            /// <summary>The least-privileged permission, the one the module asks for.</summary>
            public string Name { get; }
            public IReadOnlyList<string> Delegated { get; }
            public IReadOnlyList<string> Application { get; }
            public string Why { get; }

            public bool IsMetBy(TokenClaims claims) =>
                (claims.IsAppOnly ? Application : Delegated).Any(p => claims.Permissions.Contains(p, StringComparer.OrdinalIgnoreCase));

            public override string ToString() => Name;
        }

        public static readonly Requirement WriteApplications = new Requirement("Application.ReadWrite.All",
            new[] { "Application.ReadWrite.All", "Directory.AccessAsUser.All", "Directory.ReadWrite.All" },
            new[] { "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy" },
            "to change the app registration and create or delete its service principal");

        public static readonly Requirement WriteAppRoleAssignments = new Requirement("AppRoleAssignment.ReadWrite.All",
            new[] { "AppRoleAssignment.ReadWrite.All" },
            new[] { "AppRoleAssignment.ReadWrite.All" },
            "to grant or remove the admin consent to Exchange.ManageAsApp");

        public static readonly Requirement ReadApplications = new Requirement("Application.Read.All",
            new[] { "Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
            new[] { "Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.Read.All", "Directory.ReadWrite.All" },
            "which consent needs together with AppRoleAssignment.ReadWrite.All");

        /// <summary>
        /// The delegated scopes device code sign-in asks for: exactly what the steps need. Reading the
        /// organization needs only User.Read; Application.ReadWrite.All includes Application.Read.All.
        /// </summary>
        public static IReadOnlyList<string> SignInScopeNames { get; } = new[] { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "User.Read" };

        /// <summary>The sign-in scopes as resource URIs of the Graph root in force, e.g. https://graph.microsoft.us/User.Read.</summary>
        public static string[] SignInScopes(Uri graphRoot) =>
            SignInScopeNames.Select(s => graphRoot.GetLeftPart(UriPartial.Authority) + "/" + s).ToArray();

        /// <summary>What one kind of change needs; nothing for Exchange changes (they go through Exchange's own session).</summary>
        public static IReadOnlyList<Requirement> For(ChangeKind kind)
        {
            switch (kind)
            {
                case ChangeKind.AddCertificate:
                case ChangeKind.RemoveCertificate:
                case ChangeKind.RequestPermission:
                case ChangeKind.RemovePermission:
                case ChangeKind.CreateServicePrincipal:
                case ChangeKind.DeleteServicePrincipal:
                case ChangeKind.AddClientSecret:
                case ChangeKind.RemoveClientSecret:
                    return new[] { WriteApplications };
                case ChangeKind.GrantConsent:
                case ChangeKind.RevokeConsent:
                    return new[] { WriteAppRoleAssignments, ReadApplications };
                default:
                    return new Requirement[0];
            }
        }

        /// <summary>Every Graph change the module can make: what a sign-in must allow for all its steps.</summary>
        public static IReadOnlyList<ChangeKind> AllGraphChanges { get; } =
            ((ChangeKind[])Enum.GetValues(typeof(ChangeKind))).Where(k => For(k).Count > 0).ToArray();

        /// <summary>
        /// The requirements of <paramref name="kinds"/> the token does not meet; empty when it meets
        /// them all, and when <paramref name="claims"/> is null (a token that is not a JWT cannot be
        /// read, so Graph decides).
        /// </summary>
        public static IReadOnlyList<Requirement> Missing(TokenClaims claims, IEnumerable<ChangeKind> kinds)
        {
            if (claims == null) return new Requirement[0];
            return kinds.SelectMany(For).Distinct().Where(r => !r.IsMetBy(claims)).ToArray();
        }

        /// <summary>InsufficientPrivileges before anything is written, naming each missing permission, who can consent, and the remedy.</summary>
        public static DropzoneException Insufficient(TokenClaims claims, IReadOnlyList<Requirement> missing)
        {
            var kind = claims.IsAppOnly ? "application permission" : "delegated permission";
            var held = claims.Permissions.Count == 0 ? "none" : string.Join(" ", claims.Permissions);
            var names = string.Join(", ", missing.Select(m => m.Name));
            var details = string.Join("; ", missing.Select(m => $"{m.Name} ({m.Why})"));
            // Entra docs (grant-admin-consent): Privileged Role Administrator may consent to any
            // permission; Cloud Application Administrator and Application Administrator to any except
            // Microsoft Graph app roles.
            var consent = claims.IsAppOnly
                ? "A Privileged Role Administrator grants Microsoft Graph application permissions (admin consent on the app)."
                : "A Privileged Role Administrator, Cloud Application Administrator or Application Administrator can consent to them.";
            return DropzoneErrors.InsufficientPrivileges(kind, details, held, consent, $"{DeviceCodeRemedy} (it asks for {string.Join(", ", SignInScopeNames)}; an administrator consents on first use)", names);
        }
    }
}
