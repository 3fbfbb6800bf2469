using System.Net.Http;
using Azure.Identity;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    public class ErrorTranslatorTests
    {
        private static readonly GraphOperation Operation = new GraphOperation("update the application", "Application.ReadWrite.All", "Application Administrator");

        private static ODataError GraphError(int status, string code, string message, string requestId) => new ODataError
        {
            ResponseStatusCode = status,
            Error = new MainError { Code = code, Message = message, InnerError = new InnerError { RequestId = requestId } },
        };

        [Theory]
        [InlineData(403, "Authorization_RequestDenied")]
        public void A_refusal_becomes_InsufficientPrivileges_naming_the_permission_and_roles(int status, string code)
        {
            var error = ErrorTranslator.Translate(GraphError(status, code, "Insufficient privileges", "req-1"), Operation);
            Assert.Equal(ErrorIds.InsufficientPrivileges, error.ErrorId);
            Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
            Assert.Contains("Application.ReadWrite.All", error.Message);
            Assert.Contains("Application Administrator", error.RecommendedAction);
            Assert.Equal("req-1", error.GraphError.RequestId);
            Assert.Equal(code, error.GraphError.Code);
        }

        [Fact]
        public void A_401_is_not_a_missing_permission_but_a_token_to_renew_by_connecting_again()
        {
            var error = ErrorTranslator.Translate(GraphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", "req-3"), Operation);
            Assert.Equal(ErrorIds.GraphTokenRejected, error.ErrorId);
            Assert.Equal(ErrorKind.AuthenticationError, error.Kind);
            Assert.Contains("Connect-DropzoneGraph", error.RecommendedAction);
            Assert.DoesNotContain("Application Administrator", error.RecommendedAction);
            Assert.Equal("req-3", error.GraphError.RequestId);
        }

        [Fact]
        public void Any_other_graph_error_keeps_graphs_code_message_and_request_id()
        {
            var error = ErrorTranslator.Translate(GraphError(400, "Request_BadRequest", "Invalid value", "req-2"), Operation);
            Assert.Equal(ErrorIds.GraphRequestFailed, error.ErrorId);
            Assert.Contains("Request_BadRequest", error.Message);
            Assert.Contains("Invalid value", error.Message);
            Assert.Contains("req-2", error.Message);
            Assert.Equal(400, error.GraphError.StatusCode);
        }

        [Fact]
        public void A_network_failure_becomes_GraphUnreachable()
        {
            var error = ErrorTranslator.Translate(new HttpRequestException("Connection refused"), Operation);
            Assert.Equal(ErrorIds.GraphUnreachable, error.ErrorId);
            Assert.Equal(ErrorKind.ConnectionError, error.Kind);
        }

        [Fact]
        public void No_usable_credential_becomes_SignInFailed_with_a_way_forward()
        {
            var error = ErrorTranslator.Translate(new CredentialUnavailableException("Azure CLI not installed"), Operation);
            Assert.Equal(ErrorIds.SignInFailed, error.ErrorId);
            Assert.Contains("Azure CLI not installed", error.Message);
            Assert.Contains("-UseDeviceCode", error.RecommendedAction);
        }

        [Fact]
        public void A_module_error_passes_through_unchanged()
        {
            var original = new DropzoneException("X", ErrorKind.NotFound, "m");
            Assert.Same(original, ErrorTranslator.Translate(original, Operation));
        }
    }
}
