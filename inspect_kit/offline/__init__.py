"""The offline install kit (`python -m inspect_kit.offline build`): one zip with the kit's wheel,
a wheel of every dependency for one platform and a few Python versions, install and launch
scripts and a short README in Chinese, for an office laptop that has no internet."""
