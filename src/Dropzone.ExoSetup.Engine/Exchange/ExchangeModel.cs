using System;
using System.Collections.Generic;

namespace Dropzone.ExoSetup.Engine.Exchange
{
    /// <summary>A service principal as Exchange Online's Get-/New-ServicePrincipal return it.</summary>
    public sealed class ExchangeServicePrincipal
    {
        public string AppId { get; set; }

        /// <summary>The Entra service principal's object id Exchange was given.</summary>
        public string ObjectId { get; set; }

        public string DisplayName { get; set; }
        public string Identity { get; set; }
        public string Name { get; set; }

        public bool IsFor(Guid appId) => Guid.TryParse(AppId, out var id) && id == appId;

        /// <summary>
        /// New-ServicePrincipal answered "already exists" and this is the one Exchange had: someone
        /// else registered it between the module's read and its write, so the step is AlreadyDone.
        /// </summary>
        internal bool RegisteredMeanwhile { get; set; }

        /// <summary>
        /// The values that name this principal and no other: what Exchange may show as RoleAssignee
        /// or RoleAssigneeName of an assignment to it, and what an error about it quotes.
        /// </summary>
        internal IEnumerable<string> Identifiers()
        {
            foreach (var value in new[] { ObjectId, AppId, Identity, Name })
                if (!string.IsNullOrEmpty(value)) yield return value;
        }
    }

    /// <summary>A management role assignment as Get-/New-ManagementRoleAssignment return it.</summary>
    public sealed class ExchangeRoleAssignment
    {
        public string Name { get; set; }
        public string Role { get; set; }

        /// <summary>Who holds the role. For a service principal its ObjectId or its DisplayName: UNCONFIRMED which.</summary>
        public string RoleAssignee { get; set; }

        public string RoleAssigneeName { get; set; }
        public string RoleAssigneeType { get; set; }
        public string Identity { get; set; }
    }

    /// <summary>An Exchange Online PowerShell connection (Get-ConnectionInformation).</summary>
    public sealed class ExchangeConnection
    {
        public string Organization { get; set; }
        public string State { get; set; }

        /// <summary>The -Prefix given to Connect-ExchangeOnline: it is part of every command name.</summary>
        public string Prefix { get; set; }
    }

    /// <summary>
    /// The Exchange cmdlets the procedure uses. The module's implementation runs them by plain name
    /// in the caller's session (the real module, the test fake and Pester mocks alike); tests of the
    /// engine use an in-memory one.
    /// </summary>
    public interface IExchangeGateway
    {
        /// <summary>The connected session, or ExchangeNotConnected.</summary>
        ExchangeConnection RequireConnection();

        /// <summary>Get-ServicePrincipal, or with -Identity when one is given: unfiltered, as Exchange answers (it may return them all).</summary>
        IReadOnlyList<ExchangeServicePrincipal> GetServicePrincipals(string identity);

        ExchangeServicePrincipal NewServicePrincipal(Guid appId, string objectId, string displayName);

        void RemoveServicePrincipal(string identity);

        /// <summary>Get-ManagementRoleAssignment -Role: unfiltered.</summary>
        IReadOnlyList<ExchangeRoleAssignment> GetRoleAssignments(string role);

        /// <summary>Get-ManagementRoleAssignment -Identity: unfiltered (an unknown name may return them all, or fail as not found).</summary>
        IReadOnlyList<ExchangeRoleAssignment> GetRoleAssignment(string identity);

        /// <summary>New-ManagementRoleAssignment -Name -App -Role.</summary>
        ExchangeRoleAssignment NewRoleAssignment(string name, string app, string role);

        void RemoveRoleAssignment(string identity);
    }

    /// <summary>An Exchange cmdlet reported an error (terminating or not).</summary>
    public sealed class ExchangeCommandException : Exception
    {
        public ExchangeCommandException(string command, string message, string exchangeErrorId, Exception inner)
            : base(message, inner)
        {
            Command = command;
            ExchangeErrorId = exchangeErrorId;
        }

        /// <summary>The Exchange cmdlet that failed.</summary>
        public string Command { get; }

        /// <summary>Exchange's own FullyQualifiedErrorId, for support.</summary>
        public string ExchangeErrorId { get; }

        /// <summary>The sign-in command to advise when the session must be made again (ExchangeSignIn), set by the gateway.</summary>
        public string SignIn { get; set; }
    }
}
