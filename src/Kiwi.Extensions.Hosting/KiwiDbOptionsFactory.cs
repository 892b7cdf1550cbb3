using Kiwi.Core;
using Microsoft.Extensions.Options;

namespace Kiwi.Extensions.Hosting;

/// <summary>
/// Options made by code: <see cref="KiwiDbOptions"/> is set at construction (init-only), so the application's
/// delegate builds the instance that the configure, post-configure and validation steps then see.
/// </summary>
internal sealed class KiwiDbOptionsFactory(
    IServiceProvider services,
    Func<IServiceProvider, KiwiDbOptions> create,
    IEnumerable<IConfigureOptions<KiwiDbOptions>> setups,
    IEnumerable<IPostConfigureOptions<KiwiDbOptions>> postConfigures,
    IEnumerable<IValidateOptions<KiwiDbOptions>> validations)
    : OptionsFactory<KiwiDbOptions>(setups, postConfigures, validations)
{
    protected override KiwiDbOptions CreateInstance(string name)
        => create(services) ?? throw new InvalidOperationException("the KiwiDbOptions delegate given to AddKiwiDb returned null");
}
