from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "khru.exchange"
    label = "exchange"
