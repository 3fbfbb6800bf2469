using System;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Errors;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    public class GraphEndpointPolicyTests
    {
        [Theory]
        [InlineData("https://graph.microsoft.us", "https://graph.microsoft.us/")]
        [InlineData("https://graph.microsoft.com/", "https://graph.microsoft.com/")]
        [InlineData("http://127.0.0.1:5123", "http://127.0.0.1:5123/")]
        [InlineData("http://127.8.9.10:80", "http://127.8.9.10/")]
        [InlineData("http://[::1]:5000", "http://[::1]:5000/")]
        [InlineData("http://localhost:5000", "http://localhost:5000/")]
        [InlineData("http://LOCALHOST:5000", "http://localhost:5000/")]
        public void Https_anywhere_and_http_on_loopback_are_accepted(string given, string expected)
        {
            Assert.Equal(new Uri(expected), GraphEndpointPolicy.Validate(new Uri(given)));
        }

        [Theory]
        [InlineData("http://graph.microsoft.com")]
        [InlineData("http://10.0.0.5:8080")]
        [InlineData("http://192.168.1.10")]
        [InlineData("http://localhost.example.com")]
        [InlineData("http://128.0.0.1")]
        public void Plain_http_off_this_machine_is_refused_as_InsecureEndpoint(string given)
        {
            var error = Assert.Throws<DropzoneException>(() => GraphEndpointPolicy.Validate(new Uri(given)));
            Assert.Equal(ErrorIds.InsecureEndpoint, error.ErrorId);
            Assert.Equal(ErrorKind.SecurityError, error.Kind);
        }

        [Theory]
        [InlineData("https://graph.microsoft.com/v1.0")]
        [InlineData("https://graph.microsoft.com/beta/")]
        [InlineData("https://graph.microsoft.com/?x=1")]
        [InlineData("ftp://graph.microsoft.com")]
        [InlineData("https://user:pw@graph.microsoft.com")]
        public void A_root_with_a_version_path_query_credentials_or_other_scheme_is_refused(string given)
        {
            var error = Assert.Throws<DropzoneException>(() => GraphEndpointPolicy.Validate(new Uri(given)));
            Assert.Equal(ErrorIds.InvalidGraphEndpoint, error.ErrorId);
        }
    }
}
