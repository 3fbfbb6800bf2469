using System;
using System.Collections.Generic;
using System.Linq;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// A Microsoft cloud: where Graph lives, where sign-in happens, and what Exchange Online
    /// PowerShell calls it. Source: Graph docs, concepts/deployments.md.
    /// </summary>
    public sealed class CloudEnvironment
    {
        private CloudEnvironment(string name, string graphEndpoint, string authorityHost, string exchangeEnvironmentName)
        {
            Name = name;
            GraphEndpoint = new Uri(graphEndpoint);
            AuthorityHost = new Uri(authorityHost);
            ExchangeEnvironmentName = exchangeEnvironmentName;
        }

        public string Name { get; }
        public Uri GraphEndpoint { get; }
        public Uri AuthorityHost { get; }
        public string ExchangeEnvironmentName { get; }

        public static readonly CloudEnvironment Global = new CloudEnvironment(
            "Global", "https://graph.microsoft.com", "https://login.microsoftonline.com", "O365Default");
        public static readonly CloudEnvironment USGov = new CloudEnvironment(
            "USGov", "https://graph.microsoft.us", "https://login.microsoftonline.us", "O365USGovGCCHigh");
        public static readonly CloudEnvironment USGovDoD = new CloudEnvironment(
            "USGovDoD", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us", "O365USGovDoD");
        public static readonly CloudEnvironment China = new CloudEnvironment(
            "China", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn", "O365China");

        public static IReadOnlyList<CloudEnvironment> All { get; } = new[] { Global, USGov, USGovDoD, China };

        /// <summary>The sign-in authority of one of Microsoft's clouds.</summary>
        public static bool IsKnownAuthority(Uri authority) =>
            All.Any(e => string.Equals(e.AuthorityHost.Host, authority?.Host, StringComparison.OrdinalIgnoreCase));

        public static CloudEnvironment FromName(string name)
        {
            if (string.IsNullOrEmpty(name)) return Global;
            var found = All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
            if (found == null)
                throw new ArgumentException($"Unknown environment '{name}'. Use one of: {string.Join(", ", All.Select(e => e.Name))}.");
            return found;
        }
    }
}
