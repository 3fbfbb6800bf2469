using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// The only code that invokes Exchange Online cmdlets. After Connect-ExchangeOnline they are
    /// functions of a temporary module, so they are called by plain name in the caller's session:
    /// the real module, the test fake and a user's Pester mocks all resolve the same way. Exchange
    /// reports failures as non-terminating errors; every one is collected and turned into an
    /// exception, so no step reports success after one. Runs on the pipeline thread.
    /// </summary>
    internal sealed class ExchangeGateway : IExchangeGateway
    {
        // Runs one command with splatted parameters and hands back its output and every error it
        // wrote, terminating or not, without letting them reach the caller's error stream.
        private static readonly ScriptBlock Runner = ScriptBlock.Create(@"
param($__command, $__parameters)
$__errors = @()
$__output = @()
try {
    $__output = @(& $__command @__parameters -ErrorAction SilentlyContinue -ErrorVariable __errors -WarningAction SilentlyContinue)
} catch {
    $__errors += $_
}
@($__output, @($__errors))
");

        private static readonly string[] RbacCommands =
        {
            "Get-ServicePrincipal", "New-ServicePrincipal", "Remove-ServicePrincipal",
            "Get-ManagementRoleAssignment", "New-ManagementRoleAssignment", "Remove-ManagementRoleAssignment",
        };

        private readonly PSCmdlet _cmdlet;
        private string _prefix = string.Empty;

        public ExchangeGateway(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        public ExchangeConnection RequireConnection()
        {
            var signInHint = Engine.Connection.ExchangeSignIn.Hint(GraphSessions.Current?.Context?.Account,
                Engine.Connection.ExchangeSignIn.EnvironmentNamed(GraphSessions.Current?.Context?.Environment));
            if (_cmdlet.InvokeCommand.GetCommand("Get-ConnectionInformation", CommandTypes.All) == null)
                throw DropzoneErrors.ExchangeNotConnected("The ExchangeOnlineManagement module is not loaded.", "Import-Module ExchangeOnlineManagement; " + signInHint);
            var connection = Invoke("Get-ConnectionInformation", new Dictionary<string, object>())
                .Select(o => new ExchangeConnection
                {
                    State = Text(o, "State"),
                    Organization = Text(o, "Organization"),
                    Prefix = Text(o, "ModulePrefix") ?? Text(o, "Prefix") ?? string.Empty,
                })
                .FirstOrDefault(c => string.Equals(c.State, "Connected", StringComparison.OrdinalIgnoreCase));
            if (connection == null)
                throw DropzoneErrors.ExchangeNotConnected("There is no connected Exchange Online session (Get-ConnectionInformation shows none).", signInHint);
            _prefix = connection.Prefix ?? string.Empty;
            var missing = RbacCommands.Where(c => _cmdlet.InvokeCommand.GetCommand(Name(c), CommandTypes.All) == null).ToList();
            if (missing.Count > 0)
                throw DropzoneErrors.ExchangeNotConnected($"The Exchange Online session has no {string.Join(", ", missing.Select(Name))} (the account may lack the RBAC role, or the session was loaded with -CommandName).",
                    signInHint + " with an account that is Exchange Administrator or in Organization Management");
            return connection;
        }

        /// <summary>
        /// Connect-ExchangeOnline -DelegatedOrganization: a partner's session to one customer's
        /// Exchange Online (connect-to-exchange-online-powershell.md); -UserPrincipalName outside
        /// Azure Cloud Shell, which has no such parameter.
        /// </summary>
        public void ConnectDelegated(string organization, string userPrincipalName, string exchangeEnvironmentName)
        {
            var parameters = new Dictionary<string, object> { ["DelegatedOrganization"] = organization, ["ShowBanner"] = false };
            if (!Engine.Connection.ExchangeSignIn.InCloudShell && !string.IsNullOrEmpty(userPrincipalName)) parameters["UserPrincipalName"] = userPrincipalName;
            if (!string.IsNullOrEmpty(exchangeEnvironmentName) && exchangeEnvironmentName != "O365Default") parameters["ExchangeEnvironmentName"] = exchangeEnvironmentName;
            Invoke("Connect-ExchangeOnline", parameters);
        }

        /// <summary>Disconnect-ExchangeOnline: sessions are limited per account ("could use up all the sessions available").</summary>
        public void Disconnect() =>
            Invoke("Disconnect-ExchangeOnline", new Dictionary<string, object> { ["Confirm"] = false, ["WhatIf"] = false });

        public IReadOnlyList<ExchangeServicePrincipal> GetServicePrincipals(string identity) =>
            Invoke("Get-ServicePrincipal", identity == null ? new Dictionary<string, object>() : new Dictionary<string, object> { ["Identity"] = identity })
                .Select(ToServicePrincipal).ToList();

        public ExchangeServicePrincipal NewServicePrincipal(Guid appId, string objectId, string displayName)
        {
            var parameters = new Dictionary<string, object> { ["AppId"] = appId.ToString(), ["ObjectId"] = objectId };
            if (!string.IsNullOrEmpty(displayName)) parameters["DisplayName"] = displayName;
            var created = Invoke("New-ServicePrincipal", parameters).Select(ToServicePrincipal).FirstOrDefault();
            return created ?? new ExchangeServicePrincipal { AppId = appId.ToString(), ObjectId = objectId, DisplayName = displayName };
        }

        public void RemoveServicePrincipal(string identity) =>
            Invoke("Remove-ServicePrincipal", new Dictionary<string, object> { ["Identity"] = identity, ["Confirm"] = false });

        public IReadOnlyList<ExchangeRoleAssignment> GetRoleAssignments(string role) =>
            Invoke("Get-ManagementRoleAssignment", new Dictionary<string, object> { ["Role"] = role }).Select(ToRoleAssignment).ToList();

        public IReadOnlyList<ExchangeRoleAssignment> GetRoleAssignment(string identity) =>
            Invoke("Get-ManagementRoleAssignment", new Dictionary<string, object> { ["Identity"] = identity }).Select(ToRoleAssignment).ToList();

        public ExchangeRoleAssignment NewRoleAssignment(string name, string app, string role)
        {
            var created = Invoke("New-ManagementRoleAssignment", new Dictionary<string, object> { ["Name"] = name, ["App"] = app, ["Role"] = role })
                .Select(ToRoleAssignment).FirstOrDefault();
            return created ?? new ExchangeRoleAssignment { Name = name, Role = role, RoleAssignee = app, RoleAssigneeType = "ServicePrincipal" };
        }

        public void RemoveRoleAssignment(string identity) =>
            Invoke("Remove-ManagementRoleAssignment", new Dictionary<string, object> { ["Identity"] = identity, ["Confirm"] = false });

        private List<PSObject> Invoke(string command, Dictionary<string, object> parameters)
        {
            var name = command == "Get-ConnectionInformation" || command.EndsWith("-ExchangeOnline", StringComparison.Ordinal) ? command : Name(command);
            _cmdlet.WriteVerbose($"Exchange {name} {string.Join(" ", parameters.Select(p => $"-{p.Key} {p.Value}"))}");
            var result = _cmdlet.InvokeCommand.InvokeScript(true, Runner, null, name, new Hashtable(parameters));
            var output = result.Count > 0 ? Flatten(result[0]) : new List<object>();
            var errors = result.Count > 1 ? Flatten(result[1]).OfType<ErrorRecord>().ToList() : new List<ErrorRecord>();
            if (errors.Count > 0)
            {
                var first = errors[0];
                var message = string.Join(" ", errors.Select(e => e.ErrorDetails?.Message ?? e.Exception?.Message).Where(m => !string.IsNullOrEmpty(m)).Distinct());
                _cmdlet.WriteVerbose($"Exchange {name} failed: {message}");
                throw new ExchangeCommandException(name, message, first.FullyQualifiedErrorId, first.Exception)
                {
                    SignIn = Engine.Connection.ExchangeSignIn.Command(GraphSessions.Current?.Context?.Account,
                        Engine.Connection.ExchangeSignIn.EnvironmentNamed(GraphSessions.Current?.Context?.Environment)),
                };
            }
            return output.Select(o => o as PSObject ?? new PSObject(o)).ToList();
        }

        // Verb-Noun with the session's -Prefix, as Connect-ExchangeOnline -Prefix names its commands.
        private string Name(string command)
        {
            if (string.IsNullOrEmpty(_prefix)) return command;
            var dash = command.IndexOf('-');
            return command.Substring(0, dash + 1) + _prefix + command.Substring(dash + 1);
        }

        private static List<object> Flatten(PSObject value)
        {
            var inner = value?.BaseObject;
            if (inner is IEnumerable enumerable && !(inner is string))
                return enumerable.Cast<object>().Select(o => o is PSObject p && p.BaseObject is object ? (object)p : o).ToList();
            return inner == null ? new List<object>() : new List<object> { value };
        }

        private static ExchangeServicePrincipal ToServicePrincipal(PSObject o) => new ExchangeServicePrincipal
        {
            AppId = Text(o, "AppId"),
            ObjectId = Text(o, "ObjectId") ?? Text(o, "ServiceId"),
            DisplayName = Text(o, "DisplayName"),
            Identity = Text(o, "Identity"),
            Name = Text(o, "Name"),
        };

        private static ExchangeRoleAssignment ToRoleAssignment(PSObject o) => new ExchangeRoleAssignment
        {
            Name = Text(o, "Name"),
            Role = Text(o, "Role"),
            RoleAssignee = Text(o, "RoleAssignee"),
            RoleAssigneeName = Text(o, "RoleAssigneeName"),
            RoleAssigneeType = Text(o, "RoleAssigneeType"),
            Identity = Text(o, "Identity"),
        };

        private static string Text(PSObject o, string property)
        {
            var value = o?.Properties[property]?.Value;
            return value == null ? null : (value is PSObject p ? p.BaseObject : value).ToString();
        }
    }
}
