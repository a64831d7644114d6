from setuptools import setup

setup(name="unpinned", install_requires=["tensorflow", "numpy"])
