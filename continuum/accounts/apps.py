from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "continuum.accounts"
    verbose_name = "Accounts"
