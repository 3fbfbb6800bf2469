using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    public class ExchangeErrorTextTests
    {
        [Theory]
        [InlineData("The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.")]
        [InlineData("Run enable-organizationcustomization first.")]
        public void Recognises_a_dehydrated_tenant(string message) => Assert.True(ExchangeErrorText.IsOrganizationNotCustomized(message));

        [Theory]
        [InlineData("Token has expired")]
        [InlineData("The session is no longer valid, please run Connect-ExchangeOnline again.")]
        [InlineData("UnAuthorized: the access token is expired.")]
        public void Recognises_an_expired_session(string message) => Assert.True(ExchangeErrorText.IsSessionExpired(message));

        [Theory]
        [InlineData("The operation couldn't be performed because object 'x' couldn't be found on 'DC01'.")]
        [InlineData("An error caused a change in the current set of domain controllers.")]
        public void Other_failures_are_neither(string message)
        {
            Assert.False(ExchangeErrorText.IsOrganizationNotCustomized(message));
            Assert.False(ExchangeErrorText.IsSessionExpired(message));
            Assert.False(ExchangeErrorText.IsAlreadyExists(message));
        }

        [Theory]
        [InlineData("The service principal with AppId 'a' already exists.")]
        [InlineData("An object with that AppId already exist in the organization.")]
        public void Recognises_already_exists(string message) => Assert.True(ExchangeErrorText.IsAlreadyExists(message));

        [Fact]
        public void Maps_each_to_its_ErrorId_with_the_reconnect_command()
        {
            Assert.Equal(ErrorIds.ExchangeOrganizationNotCustomized,
                DropzoneErrors.ExchangeCommandFailed(new ExchangeCommandException("New-ManagementRoleAssignment", "you first need to run the command: Enable-OrganizationCustomization.", "x", null)).ErrorId);
            var expired = DropzoneErrors.ExchangeCommandFailed(new ExchangeCommandException("Get-ServicePrincipal", "Token has expired", "x", null) { SignIn = "Connect-ExchangeOnline" });
            Assert.Equal(ErrorIds.ExchangeSessionExpired, expired.ErrorId);
            Assert.Contains("Run Connect-ExchangeOnline, then run the same command again", expired.RecommendedAction);
            Assert.Equal(ErrorIds.ExchangeCommandFailed,
                DropzoneErrors.ExchangeCommandFailed(new ExchangeCommandException("Get-ServicePrincipal", "Something else", "x", null)).ErrorId);
        }

        [Fact]
        public void Advises_the_bare_command_in_Cloud_Shell_and_the_UPN_elsewhere()
        {
            Assert.Equal("Connect-ExchangeOnline", ExchangeSignIn.Command("admin@contoso.com", null, true));
            Assert.Equal("Connect-ExchangeOnline -ExchangeEnvironmentName O365USGovGCCHigh", ExchangeSignIn.Command("admin@contoso.com", CloudEnvironment.USGov, true));
            Assert.DoesNotContain("-UserPrincipalName", ExchangeSignIn.Hint("admin@contoso.com", null, true));
            Assert.DoesNotContain("-Device", ExchangeSignIn.Hint("admin@contoso.com", null, true));
            Assert.Equal("Connect-ExchangeOnline -UserPrincipalName admin@contoso.com", ExchangeSignIn.Command("admin@contoso.com", null, false));
            Assert.Equal("Connect-ExchangeOnline -UserPrincipalName <admin UPN>", ExchangeSignIn.Command(null, null, false));
            Assert.Contains("-Device", ExchangeSignIn.Hint("admin@contoso.com", null, false));
        }
    }
}
