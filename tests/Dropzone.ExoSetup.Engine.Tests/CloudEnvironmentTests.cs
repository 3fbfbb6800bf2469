using System;
using Dropzone.ExoSetup.Engine.Connection;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    public class CloudEnvironmentTests
    {
        [Theory]
        [InlineData("Global", "https://graph.microsoft.com/", "https://login.microsoftonline.com/", "O365Default")]
        [InlineData("USGov", "https://graph.microsoft.us/", "https://login.microsoftonline.us/", "O365USGovGCCHigh")]
        [InlineData("USGovDoD", "https://dod-graph.microsoft.us/", "https://login.microsoftonline.us/", "O365USGovDoD")]
        [InlineData("China", "https://microsoftgraph.chinacloudapi.cn/", "https://login.chinacloudapi.cn/", "O365China")]
        public void Each_cloud_maps_to_its_documented_graph_root_authority_and_exchange_name(string name, string graph, string authority, string exchange)
        {
            var cloud = CloudEnvironment.FromName(name);
            Assert.Equal(new Uri(graph), cloud.GraphEndpoint);
            Assert.Equal(new Uri(authority), cloud.AuthorityHost);
            Assert.Equal(exchange, cloud.ExchangeEnvironmentName);
        }

        [Fact]
        public void The_table_has_exactly_the_four_documented_clouds()
        {
            Assert.Equal(new[] { "Global", "USGov", "USGovDoD", "China" }, Array.ConvertAll(System.Linq.Enumerable.ToArray(CloudEnvironment.All), c => c.Name));
        }

        [Fact]
        public void Names_are_matched_without_regard_to_case_and_default_to_global()
        {
            Assert.Same(CloudEnvironment.USGovDoD, CloudEnvironment.FromName("usgovdod"));
            Assert.Same(CloudEnvironment.Global, CloudEnvironment.FromName(null));
        }

        [Fact]
        public void An_unknown_cloud_is_refused_with_the_list_of_known_ones()
        {
            var error = Assert.Throws<ArgumentException>(() => CloudEnvironment.FromName("Germany"));
            Assert.Contains("USGovDoD", error.Message);
        }
    }
}
