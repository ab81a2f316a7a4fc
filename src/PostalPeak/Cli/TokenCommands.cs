using System.CommandLine;
using PostalPeak.Accounts;
using PostalPeak.Audit;

namespace PostalPeak.Cli;

internal static class TokenCommands
{
    public static Command Create()
    {
        var carrier = new Option<string>("--carrier") { Description = "The carrier the token acts for.", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for, e.g. 'nightly export'.", Required = true };
        var expires = new Option<string?>("--expires") { Description = "Last day the token works (yyyy-MM-dd, Vietnam time); default: never." };
        var json = Commands.JsonOption();
        var create = new Command("create", "Create an API token; its secret is printed once.") { carrier, name, expires, json };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            // The same reading as the tokens page: the token works through that whole day in Vietnam.
            var expiresAt = Accounts.TokensPageModel.ExpiresAt(parse.GetValue(expires));
            var created = await context.Get<ApiTokens>().CreateAsync(
                parse.GetValue(carrier)!, parse.GetValue(name)!, expiresAt, Actor.CommandLine());
            if (parse.GetValue(json))
                await context.WriteJsonAsync(created);
            else
            {
                await context.Output.WriteLineAsync($"Token {created.Token.Id} for {created.Token.CarrierCode} created. Secret (shown once):");
                await context.Output.WriteLineAsync(created.Secret);
            }
            return ExitCodes.Success;
        });

        var listCarrier = new Option<string>("--carrier") { Description = "The carrier whose tokens to list.", Required = true };
        var listJson = Commands.JsonOption();
        var list = new Command("list", "List a carrier's tokens (never their secrets).") { listCarrier, listJson };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            var all = await context.Get<ApiTokens>().ListAsync(parse.GetValue(listCarrier)!);
            if (parse.GetValue(listJson))
                await context.WriteJsonAsync(all);
            else
                foreach (var t in all)
                    await context.Output.WriteLineAsync($"{t.Id,5} {t.Prefix}…  {t.Name,-30} {(t.RevokedAt is null ? "active" : "revoked")}");
            return ExitCodes.Success;
        });

        var revokeCarrier = new Option<string>("--carrier") { Description = "The token's carrier.", Required = true };
        var id = new Option<int>("--id") { Description = "The token's id (see 'token list').", Required = true };
        var revoke = new Command("revoke", "Revoke a token: it stops working at once.") { revokeCarrier, id };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            var token = await context.Get<ApiTokens>().RevokeAsync(
                parse.GetValue(revokeCarrier)!, parse.GetValue(id), Actor.CommandLine());
            await context.Output.WriteLineAsync($"Token {token.Id} of {token.CarrierCode} revoked.");
            return ExitCodes.Success;
        });

        return new Command("token", "Manage carriers' API tokens.") { create, list, revoke };
    }
}
