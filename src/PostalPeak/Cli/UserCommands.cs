using System.CommandLine;
using PostalPeak.Accounts;
using PostalPeak.Audit;

namespace PostalPeak.Cli;

internal static class UserCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "User name to sign in with.", Required = true };
        var role = new Option<string>("--role") { Description = "Admin, Analyst or CarrierManager.", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.People]);
        var carrier = new Option<string?>("--carrier") { Description = "The carrier a CarrierManager belongs to." };
        var displayName = new Option<string?>("--display-name") { Description = "Full name shown in the UI." };
        var email = new Option<string?>("--email") { Description = "E-mail address." };
        var password = new Option<string?>("--password")
        {
            Description = $"Initial password (at least {Passwords.MinimumLength} characters). Default: a generated one, printed once.",
        };
        var json = Commands.JsonOption();
        var add = new Command("add", "Add a person's account.") { name, role, carrier, displayName, email, password, json };
        add.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            var generated = parse.GetValue(password) is null ? Passwords.Generate() : null;
            var user = await context.Get<Users>().AddAsync(
                parse.GetValue(name)!, parse.GetValue(displayName) ?? "", parse.GetValue(email), parse.GetValue(role)!,
                parse.GetValue(carrier), generated ?? parse.GetValue(password)!, Actor.CommandLine());
            if (parse.GetValue(json))
                await context.WriteJsonAsync(new { user, generated_password = generated });
            else
            {
                await context.Output.WriteLineAsync($"User {user.UserName} ({user.Role}{(user.CarrierCode is null ? "" : " of " + user.CarrierCode)}) added.");
                if (generated is not null)
                    await context.Output.WriteLineAsync($"Initial password (shown once): {generated}");
            }
            return ExitCodes.Success;
        });

        var listJson = Commands.JsonOption();
        var list = new Command("list", "List the accounts.") { listJson };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            var all = await context.Get<Users>().ListAsync();
            if (parse.GetValue(listJson))
                await context.WriteJsonAsync(all);
            else
                foreach (var u in all)
                    await context.Output.WriteLineAsync($"{u.UserName,-24} {u.Role,-15} {u.CarrierCode}");
            return ExitCodes.Success;
        });

        return new Command("user", "Manage people's accounts.") { add, list };
    }
}
